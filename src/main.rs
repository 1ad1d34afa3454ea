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
