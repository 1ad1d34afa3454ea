//! The page's URL and localStorage: where the plan comes from when the page opens and
//! where it goes whenever it changes. What they hold is `crate::share`'s business; this
//! file only reads and writes. A browser without storage (blocked, private mode) only
//! loses the keeping: nothing here fails loudly or panics.

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::model::Plan;
use crate::share::{self, Loaded};

/// The browser window; None off the browser (the page rendered natively, in tests).
fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

/// The page's address, as the browser shows it.
fn href() -> Option<String> {
    window()?.location().href().ok()
}

/// localStorage, when the browser lets the page use it.
fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The text kept under `key`, if any.
pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`.
///
/// # Errors
/// A sentence when the browser has no storage for the page or it is full.
pub fn write(key: &str, value: &str) -> Result<(), String> {
    let storage = storage().ok_or("this browser does not let the page keep data")?;
    storage.set_item(key, value).map_err(|_| "the browser's storage is full or blocked".to_string())
}

/// The plan the page opens with (a link wins over the kept plan), with its notices.
pub fn start() -> Loaded {
    share::start(&href().unwrap_or_default(), read(share::AUTOSAVE_KEY).as_deref())
}

/// The page's path and query, once it shows `plan` (relative to its origin), the pinned
/// plans of its fragment kept (read from the address, not `location.hash`: one binding less).
fn page_url(plan: &Plan) -> Option<String> {
    let location = window()?.location();
    let href = location.href().ok()?;
    let hash = href.split_once('#').map_or("", |(_, h)| h);
    Some(share::page_url(&location.pathname().ok()?, &location.search().ok()?, hash, plan))
}

/// Writes `plan` into the page's URL, replacing the current history entry (so editing
/// adds no Back steps), and keeps it as the last plan.
pub fn remember(plan: &Plan) {
    let _ = write(share::AUTOSAVE_KEY, &share::fragment(plan));
    let (Some(window), Some(url)) = (window(), page_url(plan)) else {
        return;
    };
    let current = href().unwrap_or_default();
    if current.strip_prefix(&window.location().origin().unwrap_or_default()) == Some(url.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// How long the page waits after an edit before it writes the URL and the kept plan: a
/// burst of keystrokes costs one write (Chromium takes milliseconds per replaceState and
/// throttles bursts of them), and the address still follows within a blink.
pub const REMEMBER_AFTER_MS: u32 = 250;

/// Remembers the plan ([`remember`]) [`REMEMBER_AFTER_MS`] after its last change, and at
/// once when the page is hidden or left (reload, close, switching apps on a phone), so
/// nothing typed is lost. The plan the page opens with is written at once.
#[hook]
pub fn use_remember(plan: &Plan) {
    let pending = use_mut_ref(|| None::<Plan>);
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let opened = use_mut_ref(|| false);
    {
        let pending = pending.clone();
        use_effect_with((), move |_| {
            let flush = move |_: &web_sys::Event| {
                if let Some(p) = pending.borrow_mut().take() {
                    remember(&p);
                }
            };
            let listeners = window().map(|w| {
                let flush = std::rc::Rc::new(flush);
                let (a, b) = (flush.clone(), flush);
                (
                    EventListener::new(&w, "pagehide", move |e| a(e)),
                    EventListener::new(&w, "visibilitychange", move |e| b(e)),
                )
            });
            move || drop(listeners)
        });
    }
    use_effect_with(plan.clone(), move |plan| {
        // The plan the page opens with goes to the address at once, and is then settled.
        if !std::mem::replace(&mut *opened.borrow_mut(), true) {
            remember(plan);
            return;
        }
        *pending.borrow_mut() = Some(plan.clone());
        let pending = pending.clone();
        // Replacing the timer cancels the previous one.
        *timer.borrow_mut() = window().map(|_| {
            gloo::timers::callback::Timeout::new(REMEMBER_AFTER_MS, move || {
                if let Some(p) = pending.borrow_mut().take() {
                    remember(&p);
                }
            })
        });
    });
}

/// The full link that opens `plan`: this page's address with the plan in its fragment.
pub fn share_link(plan: &Plan) -> String {
    let origin = window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{}", page_url(plan).unwrap_or_default())
}

/// Calls `on_link` when the person changes the fragment to another plan link (pasting
/// a link to this page only changes the fragment, which reloads nothing).
#[hook]
pub fn use_link_changes(on_link: Callback<Loaded>) {
    // Registered once: `on_link` only holds stable dispatchers and setters.
    use_effect_with((), move |_| {
        let listener = window().map(|window| {
            EventListener::new(&window, "hashchange", move |_| {
                if let Some(loaded) = href().and_then(|h| share::from_link(&h)) {
                    on_link.emit(loaded);
                }
            })
        });
        move || drop(listener)
    });
}
