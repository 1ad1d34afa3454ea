//! The config files' worker (src/bin/files.rs), shared by the panels that ask it: the
//! files panel, the settings list, the verdict's suggestions and the saved plans. Started by the first panel opened, it lives as long
//! as the page; each answer goes to the panel whose request it answers. A worker that
//! failed (its files could not be loaded) is started again by the next request.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

use crate::export::request;

/// A panel that asks the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Files = 0,
    Settings = 1,
    Suggest = 2,
    Keep = 3,
    Calibrate = 4,
}

impl Panel {
    /// The panel a reply (its first element) or a failed request's verb belongs to.
    fn of(tag: &str) -> Option<Panel> {
        match tag {
            "list" | "zip" => Some(Panel::Files),
            "details" => Some(Panel::Settings),
            "suggest" => Some(Panel::Suggest),
            "keep" => Some(Panel::Keep),
            "calibrate" | "calibrate-form" | "calibrate-file" | "fleet" => Some(Panel::Calibrate),
            _ => None,
        }
    }
}

/// Each panel's handler and its last request, by [`Panel`] as index.
#[derive(Default)]
struct Asked {
    handlers: [Option<Callback<js_sys::Array>>; 5],
    last: [Option<String>; 5],
    /// The worker failed: the next request starts another.
    failed: bool,
}

/// Tells every panel that the worker failed, and has the next request start another.
fn fail(asked: &RefCell<Asked>, message: String) {
    let reply = js_sys::Array::of2(&"failed".into(), &format!("The files' worker failed: {message}").into());
    let handlers = {
        let mut asked = asked.borrow_mut();
        asked.failed = true;
        asked.handlers.clone()
    };
    handlers.iter().flatten().for_each(|h| h.emit(reply.clone()));
}

struct Shared {
    worker: web_sys::Worker,
    asked: Rc<RefCell<Asked>>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::ErrorEvent)>,
}

thread_local! {
    /// The config files' worker, and the calibration's.
    static SHARED: RefCell<[Option<Shared>; 2]> = const { RefCell::new([None, None]) };
}

fn start(calibrating: bool) -> Result<Shared, String> {
    let worker = web_sys::Worker::new(request::worker_url(calibrating)).map_err(|_| "the browser refused to start the files' worker".to_string())?;
    let asked = Rc::new(RefCell::new(Asked::default()));
    let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new({
        let asked = asked.clone();
        move |e: web_sys::ErrorEvent| fail(&asked, e.message())
    });
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
        let (asked, again) = (asked.clone(), worker.clone());
        move |e: web_sys::MessageEvent| {
            let reply: js_sys::Array = e.data().unchecked_into();
            let tag = reply.get(0).as_string().unwrap_or_default();
            // A message sent while the worker's wasm loaded had no handler and was lost.
            if tag == "ready" {
                for r in asked.borrow().last.iter().flatten() {
                    let _ = again.post_message(&JsValue::from_str(r));
                }
                return;
            }
            let panel = match tag.as_str() {
                // Without a verb: public/files-worker.js could not load the worker's wasm.
                "error" if reply.get(2).is_undefined() => return fail(&asked, reply.get(1).as_string().unwrap_or_default()),
                "error" => Panel::of(&reply.get(2).as_string().unwrap_or_default()),
                t => Panel::of(t),
            };
            let handler = panel.and_then(|p| asked.borrow().handlers[p as usize].clone());
            if let Some(h) = handler {
                h.emit(reply);
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Shared { worker, asked, _on_message: on_message, _on_error: on_error })
}

/// Sends `request` for `panel`, starting the worker if it does not run; its answer goes
/// to `on_reply` (the reply's elements as src/bin/files.rs posts them, or
/// `["failed", message]` when the worker itself failed).
pub fn ask(panel: Panel, request: &str, on_reply: Callback<js_sys::Array>) -> Result<(), String> {
    SHARED.with(|cell| {
        let calibrating = panel == Panel::Calibrate;
        let mut all = cell.borrow_mut();
        let shared = &mut all[usize::from(calibrating)];
        if shared.as_ref().is_none_or(|s| s.asked.borrow().failed) {
            if let Some(old) = shared.take() {
                old.worker.terminate();
            }
            *shared = Some(start(calibrating)?);
        }
        let Some(s) = shared.as_ref() else { return Ok(()) };
        {
            let mut asked = s.asked.borrow_mut();
            asked.handlers[panel as usize] = Some(on_reply);
            asked.last[panel as usize] = Some(request.to_string());
        }
        let _ = s.worker.post_message(&JsValue::from_str(request));
        Ok(())
    })
}
