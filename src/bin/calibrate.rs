//! The calibration's worker: the load-test readers, the fit and its chart, loaded by the
//! page only when the "Calibrate from a load test" panel first asks
//! (public/calibrate-worker.js starts it), so that neither the first load nor the config
//! files' worker carries them. It answers each request of
//! [`planner::export::request::calibrate`] with `["calibrate", markup, id]`: the panel's
//! form or its answer, and the id of the element it goes into.

#[cfg(target_arch = "wasm32")]
fn main() {
    use planner::export::request::{self, answer_calibrate};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let post = move |markup: String, id: &str| {
        let _ = reply_to.post_message(&js_sys::Array::of3(&"calibrate".into(), &markup.into(), &id.into()));
    };
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let request = e.data().as_string().unwrap_or_default();
        // A picked or dropped file: read here, its text shown in the panel, then calibrated.
        let request = match request.strip_prefix("calibrate-file\n").and_then(|r| r.split_once('\n')) {
            Some((query, url)) => {
                let text = read(url).unwrap_or_default();
                post(planner::export::calibrate::input(&text), "calibrate-input");
                request::calibrate("calibrate", query, &text)
            }
            None => request,
        };
        if let Some((markup, id)) = answer_calibrate(&request) {
            post(markup, id);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // As the files' worker: "ready" makes the page send again what it asked before.
    let _ = scope.post_message(&js_sys::Array::of1(&"ready".into()));
}

/// The text of a blob URL the page made for a file, read synchronously (a worker may).
#[cfg(target_arch = "wasm32")]
fn read(url: &str) -> Option<String> {
    let x = web_sys::XmlHttpRequest::new().ok()?;
    x.open_with_async("GET", url, false).ok()?;
    x.send().ok()?;
    let _ = web_sys::Url::revoke_object_url(url);
    x.response_text().ok()?
}

/// The worker runs only in the browser; natively the calibration is `planner calibrate`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

/// The worker's allocator, as the page's (src/main.rs).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
