//! A minimal Yew page (a counter), built the same way as the app. The
//! first-render benchmark (benches/web/first-render.mjs) loads it beside the
//! app to compare their time to first render.
use yew::prelude::*;

#[function_component(Minimal)]
fn minimal() -> Html {
    let count = use_state(|| 0u32);
    let onclick = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    html! { <main class="stage"><button {onclick}>{ *count }</button></main> }
}

fn main() {
    yew::Renderer::<Minimal>::new().render();
}
