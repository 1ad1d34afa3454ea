//! The web app's entry point: renders [`planner::ui::App`] into the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<planner::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app runs in the browser: `make run` serves it; the CLI is `planner`");
    std::process::exit(2);
}

/// The page's allocator: talc instead of Rust's default for wasm (dlmalloc), 3.2 KB
/// gzip smaller for the same time per edit.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
