//! The few browser services the UI uses: clipboard, downloads, the screen's width and
//! the first paint. Failures are reported to the caller as text, never a panic.

use wasm_bindgen::JsCast;

/// The width from which the page is two columns, the results kept in view beside the
/// form (styles/main.css); narrower, a result bar keeps the answer in view.
pub const WIDE_PX: f64 = 1000.0;

/// Whether the page opens on a wide screen; off the browser (the page rendered natively),
/// as if it did.
pub fn wide() -> bool {
    let window = if cfg!(target_arch = "wasm32") { web_sys::window() } else { None };
    window.and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).is_none_or(|w| w >= WIDE_PX)
}

/// Runs `then` once the browser has painted the next frame and has nothing more urgent to
/// do (an edit to answer): an idle callback asked for from an animation frame callback
/// (which runs before that frame's paint); a task queued from it where the browser has
/// no idle callbacks (Safari).
pub fn when_idle(then: Box<dyn FnOnce()>) {
    let Some(window) = web_sys::window() else { return then() };
    let queue = move || {
        let Some(window) = web_sys::window() else { return };
        let then = wasm_bindgen::closure::Closure::once_into_js(then);
        if window.request_idle_callback(then.unchecked_ref()).is_err() {
            let _ = window.set_timeout_with_callback(then.unchecked_ref());
        }
    };
    let _ = window.request_animation_frame(wasm_bindgen::closure::Closure::once_into_js(queue).unchecked_ref());
}

/// Copies text to the clipboard; resolves to whether it worked.
pub async fn copy(text: String) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(&text);
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|_| "the browser refused the clipboard".to_string())
}

/// Offers the drawing inside the element `id` as the file `<id>.svg`, as the browser
/// serialises it (an SVG document, with its namespace).
pub fn download_svg(id: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let svg = document.query_selector(&format!("#{id} svg")).ok().flatten().ok_or("no drawing")?;
    let text = web_sys::XmlSerializer::new().and_then(|x| x.serialize_to_string(&svg)).map_err(|_| "the browser could not write the drawing")?;
    download(&format!("{id}.svg"), "image/svg+xml", text.as_bytes())
}

/// Offers bytes as a file download with the given name and MIME type.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |_| format!("could not offer {name} for download");
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
