//! Working offline: registers the service worker (`sw.js`, which `scripts/precache.sh`
//! writes at build time with the release's file list) and offers a new release once
//! its worker has cached it. The page keeps running the release it loaded until the
//! person accepts; then the new worker takes over and the page reloads into it.
//! Debug builds (`trunk serve`, the browser tests) register nothing.

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};
use yew::prelude::*;

/// The message `sw.js` reads as "stop waiting and take over".
const SKIP_WAITING: &str = "skip-waiting";

thread_local! {
    /// The worker waiting to update the page. Kept here, the banner's state a bool: a
    /// state of its own type would be one more copy of yew's state code in the page.
    static WAITING: std::cell::RefCell<Option<ServiceWorker>> = const { std::cell::RefCell::new(None) };
}

/// Whether a new release is ready to take over: registers the worker once the page is
/// idle. A hook of the App, not a component of its own (each component is a copy of
/// yew's component code in the page).
#[hook]
pub fn use_update() -> bool {
    let waiting = use_state(|| false);
    let set = waiting.setter();
    use_effect_with((), move |_| {
        // Once the page is drawn and idle: installing the worker fetches the whole
        // release again, which a first visit's answer need not wait for.
        if !cfg!(debug_assertions) {
            super::browser::when_idle(Box::new(|| wasm_bindgen_futures::spawn_local(register(set))));
        }
    });
    *waiting
}

/// The banner offering a new release, once one is `waiting`; nothing before.
pub fn banner(waiting: bool) -> Html {
    if !waiting {
        return html! {};
    }
    let onclick = Callback::from(|_: MouseEvent| {
        if let Some(worker) = WAITING.with_borrow(Clone::clone) {
            accept(&worker);
        }
    });
    html! {
        <div id="update" class="update" role="status">
            { "A new version of the planner is ready. " }
            <button type="button" id="update-reload" {onclick}>{ "Reload to update" }</button>
        </div>
    }
}

/// The page's service worker container; None where the browser has none (an insecure
/// origin, an old browser).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let value = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    (!value.is_undefined() && !value.is_null()).then(|| value.unchecked_into())
}

/// Registers `./sw.js` for this page's directory and reports a worker waiting to update
/// a page that a worker already controls (a first install has nothing to offer).
async fn register(waiting: UseStateSetter<bool>) {
    let Some(container) = container() else {
        return;
    };
    let options = web_sys::RegistrationOptions::new();
    options.set_scope("./");
    let promise = container.register_with_options("./sw.js", &options);
    let Ok(registration) = wasm_bindgen_futures::JsFuture::from(promise).await else {
        return;
    };
    let registration: ServiceWorkerRegistration = registration.unchecked_into();
    let offer = move |registration: &ServiceWorkerRegistration| {
        if container.controller().is_some() {
            if let Some(worker) = registration.waiting() {
                WAITING.set(Some(worker));
                waiting.set(true);
            }
        }
    };
    // Offers the worker once it has cached its release (installed), whenever it started.
    let watch = {
        let offer = offer.clone();
        move |registration: &ServiceWorkerRegistration| {
            let Some(installing) = registration.installing() else {
                return;
            };
            let (registration, offer, worker) =
                (registration.clone(), offer.clone(), installing.clone());
            EventListener::new(&installing, "statechange", move |_| {
                if worker.state() == ServiceWorkerState::Installed {
                    offer(&registration);
                }
            })
            .forget();
        }
    };
    offer(&registration);
    watch(&registration);
    let found = registration.clone();
    EventListener::new(&registration, "updatefound", move |_| watch(&found)).forget();
}

/// Lets the waiting worker take over, then reloads into the new release.
fn accept(worker: &ServiceWorker) {
    let reload = || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    // Already active (another tab accepted it): the reload alone updates.
    if matches!(
        worker.state(),
        ServiceWorkerState::Activated | ServiceWorkerState::Redundant
    ) {
        reload();
        return;
    }
    if let Some(container) = container() {
        EventListener::once(&container, "controllerchange", move |_| reload()).forget();
    }
    let _ = worker.post_message(&JsValue::from_str(SKIP_WAITING));
}
