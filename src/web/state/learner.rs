//! The learner's actions inside the simulation: what each waits to see,
//! and the note that says what became of it.

use super::State;
use crate::sim::event::{EventKind, HttpNote, Ret};
use crate::sim::{self, Event, HostId};
use crate::text::Text;

/// What a learner's action is waiting to see: an event on `host` that shows
/// the action took effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub host: HostId,
    pub kind: GoalKind,
    /// Pause when reached (the action came while paused).
    pub pause: bool,
    /// Give up at this step.
    pub until: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalKind {
    /// The program's call of this name returned or blocked.
    Call(&'static str),
    /// The program's call of this name returned.
    Returned(&'static str),
    /// The browser has read a whole response.
    Response,
    /// The process was ended.
    Ended,
}

impl Goal {
    /// What to wait for after `action`, or `None` if its effect shows at once.
    fn of(action: &sim::Action, new_host: Option<HostId>, at: u64, pause: bool) -> Option<Goal> {
        use sim::Action as A;
        let (host, kind) = match action {
            A::AddClient => (new_host?, GoalKind::Returned("connect()")),
            A::Send { client, .. } => (HostId(*client), GoalKind::Call("send()")),
            A::RecvNow { client } => (HostId(*client), GoalKind::Call("recv()")),
            A::Close { client } => (HostId(*client), GoalKind::Call("close()")),
            A::RemoveClient { client } => (HostId(*client), GoalKind::Ended),
            A::Navigate { .. } => (HostId::BROWSER, GoalKind::Response),
            _ => return None,
        };
        Some(Goal {
            host,
            kind,
            pause,
            until: at + 3_000,
        })
    }

    /// Whether `e` is the effect waited for.
    pub fn reached_by(&self, e: &Event) -> bool {
        if e.host != Some(self.host) {
            return false;
        }
        match (&self.kind, &e.kind) {
            (
                _,
                EventKind::ThreadEnded { .. }
                | EventKind::ProcessExited
                | EventKind::ProcessTerminated,
            ) => true,
            (GoalKind::Call(name), EventKind::Return { call, .. })
            | (GoalKind::Call(name), EventKind::Blocked { call, .. })
            | (GoalKind::Returned(name), EventKind::Return { call, .. }) => call.name() == *name,
            (
                GoalKind::Response,
                EventKind::Http {
                    note: HttpNote::ResponseParsed { .. },
                },
            ) => true,
            (
                GoalKind::Response,
                EventKind::Return {
                    ret: Ret::Error { .. },
                    ..
                },
            ) => true,
            _ => false,
        }
    }
}

/// What became of the learner's last action, shown beside the control
/// that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub action: sim::Action,
    /// The step it was applied at.
    pub at: u64,
    pub status: NoteStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoteStatus {
    /// Playing until its effect shows.
    Running,
    /// Its effect, at this step.
    Done { step: u64, event: Box<Event> },
    /// Done at once (a buffer size, an encoding).
    Applied,
    /// The world refused it, and why.
    Ignored { why: Text<String> },
    /// The run stopped (paused, or came to rest) before the effect showed.
    Stopped,
}

impl State {
    pub(super) fn goal_reached(&mut self, step: u64, event: Event) {
        if let Some(goal) = self.goal.take() {
            if goal.pause {
                self.playing = false;
            }
            if let Some(note) = &mut self.note {
                note.status = NoteStatus::Done {
                    step,
                    event: Box::new(event),
                };
            }
        }
    }

    /// The goal is given up: the run stopped before the effect showed.
    pub(super) fn goal_stopped(&mut self) {
        if self.goal.take().is_some() {
            if let Some(note) = &mut self.note {
                note.status = NoteStatus::Stopped;
            }
        }
    }

    /// Applies a learner's action, and plays on until its effect shows.
    pub(super) fn learner(&mut self, action: sim::Action) {
        let (at, before) = {
            let run = self.run.borrow();
            (run.current_step(), run.world().hosts().len())
        };
        self.run.borrow_mut().apply(action.clone());
        let (ignored, new_host) = {
            let run = self.run.borrow();
            let ignored = run.events_at(at).iter().rev().find_map(|e| match &e.kind {
                EventKind::ActionIgnored { action: a, why } if *a == action => Some(why.clone()),
                _ => None,
            });
            let hosts = run.world().hosts();
            let new_host = (hosts.len() > before)
                .then(|| hosts.last().map(|h| h.id))
                .flatten();
            (ignored, new_host)
        };
        // A new action starts a new future: the old end is gone.
        self.horizon = 0;
        self.total = None;
        self.goal = None;
        let status = match ignored {
            Some(why) => NoteStatus::Ignored { why },
            None => match Goal::of(&action, new_host, at, !self.playing) {
                Some(goal) => {
                    self.goal = Some(goal);
                    self.playing = true;
                    NoteStatus::Running
                }
                None => NoteStatus::Applied,
            },
        };
        self.note = Some(Note { action, at, status });
        self.touched();
    }
}
