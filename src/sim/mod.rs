//! The simulation core: a deterministic, sans-IO model of hosts, threads,
//! sockets, kernel buffers and TCP.
//!
//! Nothing in here reads a clock, opens a socket, starts a thread, draws
//! unseeded randomness or touches the DOM: time is simulated
//! ([`time::Instant`]), randomness comes from a seeded ChaCha8 RNG kept in
//! the [`World`], and the same lesson, seed and learner actions always give
//! the same event log, byte for byte. It compiles for wasm32 and native.
//!
//! # Layout
//!
//! The folders follow the layers of a real system (the map, and where to
//! add a lesson, a syscall or a TCP behaviour, is in `src/sim/README.md`):
//!
//! - [`programs`]: the lessons' Python programs and their texts in zh and en.
//! - [`world`]: the [`World`]: the scheduler tying the layers together, and
//!   the syscalls programs make.
//! - [`os`]: each host's kernel tables (fds, sockets, listen queues, ports)
//!   and the threads of its process.
//! - [`tcp`]: the TCP socket (RFC 9293 states, SND/RCV variables, timers) and
//!   its ring buffers.
//! - [`net`]: segments, the wire, pcap export.
//! - [`event`]: everything that happens, and its narration in zh and en.
//! - [`lessons`]: one file per lesson, and the table of them.
//! - [`quiz`]: the lessons' predict-then-see checkpoints, judged from the log.
//! - [`run`]: a recorded run (lesson, seed, actions) with snapshots: seek, step back.
//! - [`view`], [`http_view`]: read-only views for the UI.
//! - [`action`]: what a learner can do; [`ids`], [`time`]: names and time.
//!
//! # Driving it from a UI
//!
//! ```
//! use sockscope::sim::{Run, LessonId, Lang};
//! let mut run = Run::new(LessonId::Echo, LessonId::Echo.info().default_seed);
//! while run.step() {}                       // or one step per tick
//! assert!(run.is_finished());
//! let last = run.log().last().unwrap();
//! println!("{}", last.narration(Lang::En));
//! run.seek(10);                             // jump back: restore + replay
//! let world = run.world();                  // views: hosts, threads, sockets, wire
//! assert_eq!(world.threads().len(), 2);    // the handler thread comes later
//! assert_eq!(run.current_step(), 10);
//! ```

pub mod action;
pub mod event;
pub mod http_view;
pub mod ids;
pub mod lessons;
pub mod net;
pub mod os;
pub mod programs;
pub mod python;
pub mod quiz;
pub mod run;
pub mod tcp;
pub mod time;
pub mod view;
pub mod world;

pub use action::Action;
pub use event::{Category, Event, EventKind, HostId, Lang, SockId, ThreadId};
pub use lessons::{Lesson, LessonId};
pub use net::{Endpoint, Segment, SeqNumber};
pub use run::{Run, Setup};
pub use tcp::RingBuffer;
pub use tcp::State;
pub use time::{Duration, Instant};
pub use world::World;
