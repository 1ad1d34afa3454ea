//! The config files' worker: the exporters, loaded by the page only when a panel asks it
//! (the files, the settings, the suggestions, the saved plans; public/files-worker.js
//! starts it). It answers each message, a request
//! of [`planner::export::request`], with `["list", markup, index, name]` (the panel's
//! markup, [`request::panel`]),
//! `["zip", name, bytes]`, `["details", settings]`, `["suggest", query, suggestions]`,
//! `["error", message, verb]`, `["compare", pinned plans, markup]` (public/compare.js asks,
//! [`planner::export::compare::markup`])
//! (the verb of the request that failed); names are joined by newlines. The saved plans'
//! requests ([`planner::share::keep`]) are answered with their id and the parts of
//! [`planner::share::keep::Reply`] in order, undefined for those it has not:
//! `["keep", id, store, said, bad, undo, list, name, open, file name, file text]`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use planner::export::request::{self, answer, Reply};
    use planner::share::keep;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let request = e.data().as_string().unwrap_or_default();
        // "Compare plans" (public/compare.js): the pinned plans as the link holds them, and the markup.
        if request::verb(&request) == "compare" {
            let (pinned, markup) = planner::export::compare::markup::answer(&request);
            let _ = reply_to.post_message(&js_sys::Array::of3(&"compare".into(), &pinned.into(), &markup.into()));
            return;
        }
        if let Some(r) = keep::answer(&request) {
            let some = |v: Option<String>| v.map_or(JsValue::UNDEFINED, JsValue::from);
            let (file, text) = r.download.map_or((None, None), |(f, t)| (Some(f), Some(t)));
            let parts = [JsValue::from("keep"), keep::id(&request).into(), some(r.store), r.said.into(), r.bad.into(), r.undo.into(), some(r.list), r.name.into(), some(r.open), some(file), some(text)];
            let _ = reply_to.post_message(&parts.iter().collect::<js_sys::Array>());
            return;
        }
        let out = match answer(&request) {
            Reply::Listing(l) => {
                let service = request::service(&request);
                js_sys::Array::of4(&"list".into(), &request::panel(&l, &service).into(), &JsValue::from(l.index as u32), &l.file.name.into())
            }
            Reply::Zip(name, bytes) => js_sys::Array::of3(&"zip".into(), &name.into(), &js_sys::Uint8Array::from(&bytes[..])),
            Reply::Details(text) => js_sys::Array::of2(&"details".into(), &text.into()),
            Reply::Suggest(query, text) => js_sys::Array::of3(&"suggest".into(), &query.into(), &text.into()),
            Reply::Error(message) => js_sys::Array::of3(&"error".into(), &message.into(), &request::verb(&request).into()),
        };
        let _ = reply_to.post_message(&out);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Tell the page the worker is ready: messages sent before this are queued by the
    // browser until the handler is set, so this is for the page's "loading" state only.
    let _ = scope.post_message(&js_sys::Array::of1(&"ready".into()));
}

/// The worker runs only in the browser; natively the exporters are the `planner` CLI's.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the config files' worker runs in the browser; natively, use `planner export`");
    std::process::exit(2);
}

/// The worker's allocator, as the page's (src/main.rs).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
