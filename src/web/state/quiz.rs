//! The lesson's checkpoints: the learner's replies, and stopping to ask
//! when a checkpoint's trigger comes.

use super::State;

/// What the learner did with a checkpoint's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Picked this choice.
    Chose(usize),
    /// Went on without answering (Play or Step while asked, or Skip).
    Passed,
}

impl Reply {
    /// One character in a link: `a`, `b`, … for a choice, `-` for passed.
    pub fn code(self) -> char {
        match self {
            Reply::Chose(i) => char::from(b'a' + (i.min(25)) as u8),
            Reply::Passed => '-',
        }
    }

    pub fn from_code(c: char) -> Option<Option<Reply>> {
        match c {
            'a'..='z' => Some(Some(Reply::Chose(c as usize - 'a' as usize))),
            '-' => Some(Some(Reply::Passed)),
            '_' => Some(None),
            _ => None,
        }
    }
}

/// The checkpoints of the lesson, as the learner meets them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quiz {
    /// Checkpoints are asked (`?quiz=0` turns them off).
    pub on: bool,
    /// The learner's reply to each of the lesson's checkpoints, by index.
    pub replies: Vec<Option<Reply>>,
    /// The checkpoint asked now: the run stands at the step before its
    /// trigger's and waits for an answer.
    pub asking: Option<usize>,
    /// The last checkpoint answered: its card (the answer, then the
    /// verdict) stays until the learner closes it or answers the next one,
    /// above the next question if that comes at once.
    pub shown: Option<usize>,
}

impl Quiz {
    pub fn reply(&self, i: usize) -> Option<Reply> {
        self.replies.get(i).copied().flatten()
    }

    /// The link's `quiz=` value: `0` when off, the replies (`a-_`) when
    /// there are any, nothing otherwise.
    pub fn link_value(&self) -> Option<String> {
        if !self.on {
            return Some("0".into());
        }
        if self.replies.iter().all(Option::is_none) {
            return None;
        }
        Some(
            self.replies
                .iter()
                .map(|r| r.map_or('_', Reply::code))
                .collect(),
        )
    }
}

impl State {
    /// After a step forward: if that step holds the trigger of a checkpoint
    /// not yet replied to, goes back to the step before it, stops playing
    /// and asks. Returns whether it did.
    pub(super) fn checkpoint_reached(&mut self) -> bool {
        if !self.quiz.on {
            return false;
        }
        let checkpoints = self.lesson.info().checkpoints;
        let run = self.run.borrow();
        let at = run.current_step();
        let log = run.log();
        let first = log.len() - run.events_at(at).len();
        let hit = checkpoints.iter().enumerate().find(|(i, cp)| {
            self.quiz.reply(*i).is_none() && cp.fires_at(log).is_some_and(|k| k >= first)
        });
        let Some((i, _)) = hit else {
            return false;
        };
        drop(run);
        self.run.borrow_mut().seek(at.saturating_sub(1));
        self.playing = false;
        self.goal_stopped();
        self.quiz.asking = Some(i);
        true
    }

    /// The learner went on without answering checkpoint `i`.
    pub(super) fn pass(&mut self, i: usize) {
        if let Some(r) = self.quiz.replies.get_mut(i) {
            if r.is_none() {
                *r = Some(Reply::Passed);
            }
        }
    }
}
