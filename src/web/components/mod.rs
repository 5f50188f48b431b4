//! One component per file.
pub mod app;
pub mod buffer;
pub mod code_panel;
pub mod console;
pub mod controls;
pub mod event_list;
pub mod header;
pub mod learner;
pub mod lesson_picker;
pub mod narration;
pub mod overlays;
pub mod segment_detail;
pub mod socket;
pub mod stage;
pub mod threads;
pub mod wire;
