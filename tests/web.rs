//! Browser unit tests (wasm-bindgen-test in headless Chromium): the
//! components rendered into a real DOM.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

use sockscope::web::components::header::{Header, HeaderProps};
use sockscope::web::i18n::Lang;
use yew::Callback;

fn mount() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    // Yew renders on the next tick of the scheduler.
    yew::platform::time::sleep(std::time::Duration::from_millis(20)).await;
}

#[wasm_bindgen_test]
async fn header_shows_the_name_and_a_labelled_language_switch() {
    let root = mount();
    let props = HeaderProps {
        lang: Lang::En,
        on_lang: Callback::noop(),
    };
    yew::Renderer::<Header>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let brand = root.query_selector(".brand").unwrap().unwrap();
    assert_eq!(brand.text_content().unwrap(), "sockscope");
    let switch = root.query_selector(".lang-switch").unwrap().unwrap();
    assert_eq!(
        switch.get_attribute("aria-label").unwrap(),
        "Switch to Chinese"
    );
    assert_eq!(switch.text_content().unwrap().trim(), "中文");
}
