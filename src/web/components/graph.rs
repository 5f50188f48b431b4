//! The stream graph of each connection that sent data: cwnd, bytes in
//! flight and the peer's window over simulated time, drawn as steps (the
//! values hold until the next change), the way Wireshark's TCP stream
//! graphs show a capture. The points come from the core
//! ([`crate::sim::tcp::graph`]); this only scales and draws them.

use crate::sim::view::{ConnectionGraph, HostView};
use crate::sim::Instant;
use crate::web::i18n::{self, Lang};
use yew::prelude::*;

const W: f64 = 320.0;
const H: f64 = 110.0;

#[derive(Properties, PartialEq)]
pub struct GraphsProps {
    pub lang: Lang,
    pub graphs: Vec<ConnectionGraph>,
    pub hosts: Vec<HostView>,
    pub now: Instant,
}

/// `(x, y)` corners of a step line through `values` at `times`, held to `end`.
fn steps(times: &[f64], values: &[f64], end: f64) -> String {
    let mut out = String::new();
    for (i, (&t, &v)) in times.iter().zip(values).enumerate() {
        if i > 0 {
            // Hold the previous value until this instant.
            out.push_str(&format!("{t:.1},{:.1} ", values[i - 1]));
        }
        out.push_str(&format!("{t:.1},{v:.1} "));
    }
    if let Some(&v) = values.last() {
        out.push_str(&format!("{end:.1},{v:.1}"));
    }
    out
}

fn one(g: &ConnectionGraph, hosts: &[HostView], now: Instant, lang: Lang) -> Html {
    let Some(first) = g.points.first() else {
        return Html::default();
    };
    let t0 = first.at.0;
    let span = now.0.saturating_sub(t0).max(1) as f64;
    let top = g
        .points
        .iter()
        .flat_map(|p| [p.cwnd, p.flight, p.peer_window])
        .max()
        .unwrap_or(1)
        .max(1);
    let x = |at: Instant| (at.0.saturating_sub(t0) as f64 / span * W).min(W);
    let y = |b: u32| H - f64::from(b) / f64::from(top) * (H - 4.0);
    let times: Vec<f64> = g.points.iter().map(|p| x(p.at)).collect();
    let line = |f: &dyn Fn(&crate::sim::tcp::graph::GraphPoint) -> u32| {
        let v: Vec<f64> = g.points.iter().map(|p| y(f(p))).collect();
        steps(&times, &v, W)
    };
    // ssthresh only where it is set, and only below the top (it starts infinite).
    let ssthresh: Vec<(f64, f64)> = g
        .points
        .iter()
        .zip(&times)
        .filter_map(|(p, &t)| p.ssthresh.filter(|&s| s <= top).map(|s| (t, y(s))))
        .collect();
    let ssthresh_line = (!ssthresh.is_empty()).then(|| {
        let (ts, vs): (Vec<f64>, Vec<f64>) = ssthresh.into_iter().unzip();
        steps(&ts, &vs, W)
    });
    let name = hosts
        .iter()
        .find(|h| h.id == g.host)
        .map(|h| h.name.clone())
        .unwrap_or_default();
    let from = format!("{name} {}:{}", g.local.ip, g.local.port);
    let to = format!("{}:{}", g.remote.ip, g.remote.port);
    let label = i18n::graph_label(lang, &from, &to);
    let axis = i18n::graph_axis(lang, top, span / 1e6);
    html! {
        <figure class="stream-graph" data-host={g.host.0.to_string()}>
            <figcaption>{ &label }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" role="img"
                 aria-label={format!("{label}: {axis}")}>
                <line class="axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                <polyline class="peer-window" points={line(&|p| p.peer_window)} />
                if let Some(points) = ssthresh_line { <polyline class="ssthresh" {points} /> }
                <polyline class="flight" points={line(&|p| p.flight)} />
                <polyline class="cwnd" points={line(&|p| p.cwnd)} />
            </svg>
            <div class="graph-axis">{ axis }</div>
        </figure>
    }
}

#[function_component(CongestionGraphs)]
pub fn congestion_graphs(props: &GraphsProps) -> Html {
    let lang = props.lang;
    html! {
        <section class="graphs" aria-label={i18n::GRAPH_TITLE.get(lang)}>
            <h3 title={i18n::GRAPH_HELP.get(lang)}>{ i18n::GRAPH_TITLE.get(lang) }</h3>
            <div class="graph-legend" title={i18n::GRAPH_HELP.get(lang)}>
                <span class="key cwnd">{ i18n::GRAPH_CWND.get(lang) }</span>
                <span class="key flight">{ i18n::GRAPH_FLIGHT.get(lang) }</span>
                <span class="key peer-window">{ i18n::GRAPH_PEER_WINDOW.get(lang) }</span>
                <span class="key ssthresh">{ i18n::GRAPH_SSTHRESH.get(lang) }</span>
            </div>
            { for props.graphs.iter().map(|g| one(g, &props.hosts, props.now, lang)) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::steps;

    #[test]
    fn a_step_line_holds_each_value_until_the_next_change() {
        assert_eq!(
            steps(&[0.0, 10.0], &[5.0, 2.0], 20.0),
            "0.0,5.0 10.0,5.0 10.0,2.0 20.0,2.0"
        );
        assert_eq!(steps(&[], &[], 20.0), "");
    }
}
