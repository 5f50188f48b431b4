//! `select` and `selectors`: one thread waiting on many sockets.
//!
//! `select.select(rlist, wlist, xlist[, timeout])` is CPython's
//! `Modules/selectmodule.c`: the lists hold ints or objects with a
//! `fileno()`; it returns three lists of the same objects, those ready,
//! in the order given. `selectors.DefaultSelector()` is CPython's
//! `EpollSelector` (`Lib/selectors.py`, Python code there, native here):
//! `register(fileobj, events, data=None)` returns a `SelectorKey`
//! (`fileobj`, `fd`, `events`, `data`), `select(timeout=None)` a list of
//! `(key, events)`; the errors are CPython's, and an exception leaving the
//! module shows selectors.py's frames, as CPython's traceback does.
//!
//! Both wait with one [`OsCall::Select`]: the host blocks the thread on
//! every fd at once and answers which are ready. A selector also holds an
//! fd of its own (`OsCall::EpollCreate`, as `epoll_create1` does) and tells
//! the host of each `register`/`modify`/`unregister` (`OsCall::EpollCtl`,
//! which checks the fd); the interest list itself is the selector's, handed
//! to each `select`. Where it differs from CPython: a selector's ready list
//! comes in registration order (epoll's comes in the order the fds became
//! ready); `get_map()` is a snapshot dict `{fd: key}` (looking a key up in
//! it by file object is not supported); `xlist` is never ready (no
//! out-of-band data here), and an fd only in `xlist` is not checked.

use super::exc::SELECTORS_PY;
use super::value::*;
use super::vm::{Flow, R};
use super::Interp;

mod select_fn;
mod selector;

/// A selector's method names (for `dir()` and suggestions).
pub(crate) const SELECTOR_METHODS: &[&str] = &[
    "register",
    "unregister",
    "modify",
    "select",
    "get_key",
    "get_map",
    "close",
    "fileno",
    "__enter__",
    "__exit__",
];

pub(crate) const EVENT_READ: i64 = 1;
pub(crate) const EVENT_WRITE: i64 = 2;

/// `select()`'s limit: fds from `FD_SETSIZE` on are refused.
const FD_SETSIZE: i64 = 1024;

/// A frame of selectors.py as CPython's traceback shows it.
const fn lib(line: u32, name: &'static str, text: &'static str, carets: &'static str) -> TbEntry {
    TbEntry::Lib {
        file: SELECTORS_PY,
        line,
        name,
        text,
        carets,
    }
}

// The lines of selectors.py (3.11) an exception passes through.
const REGISTER: TbEntry = lib(
    352,
    "register",
    "key = super().register(fileobj, events, data)",
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const REGISTER_EVENTS: TbEntry = lib(
    236,
    "register",
    r#"raise ValueError("Invalid events: {!r}".format(events))"#,
    "",
);
const REGISTER_EVENTS_TYPE: TbEntry = lib(
    235,
    "register",
    "if (not events) or (events & ~(EVENT_READ | EVENT_WRITE)):",
    "                        ~~~~~~~^~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
);
const REGISTER_LOOKUP: TbEntry = lib(
    238,
    "register",
    "key = SelectorKey(fileobj, self._fileobj_lookup(fileobj), events, data)",
    "                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const REGISTER_DUP: TbEntry = lib(
    241,
    "register",
    r#"raise KeyError("{!r} (FD {}) is already registered""#,
    "",
);
const REGISTER_EPOLL: TbEntry = lib(
    359,
    "register",
    "self._selector.register(key.fd, poller_events)",
    "",
);
const LOOKUP: TbEntry = lib(
    225,
    "_fileobj_lookup",
    "return _fileobj_to_fd(fileobj)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^",
);
const TO_FD_OBJECT: TbEntry = lib(
    39,
    "_fileobj_to_fd",
    r#"raise ValueError("Invalid file object: ""#,
    "",
);
const TO_FD_NEGATIVE: TbEntry = lib(
    42,
    "_fileobj_to_fd",
    r#"raise ValueError("Invalid file descriptor: {}".format(fd))"#,
    "",
);
const UNREGISTER: TbEntry = lib(
    366,
    "unregister",
    "key = super().unregister(fileobj)",
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const UNREGISTER_LOOKUP: TbEntry = lib(
    249,
    "unregister",
    "key = self._fd_to_key.pop(self._fileobj_lookup(fileobj))",
    "                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const UNREGISTER_KEY: TbEntry = lib(
    251,
    "unregister",
    r#"raise KeyError("{!r} is not registered".format(fileobj)) from None"#,
    "",
);
const MODIFY_LOOKUP: TbEntry = lib(
    377,
    "modify",
    "key = self._fd_to_key[self._fileobj_lookup(fileobj)]",
    "                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const MODIFY_KEY: TbEntry = lib(
    379,
    "modify",
    r#"raise KeyError(f"{fileobj!r} is not registered") from None"#,
    "",
);
const MODIFY_EPOLL: TbEntry = lib(
    387,
    "modify",
    "self._selector.modify(key.fd, selector_events)",
    "",
);
const GET_KEY_CLOSED: TbEntry = lib(
    188,
    "get_key",
    "raise RuntimeError('Selector is closed')",
    "",
);
const GET_KEY_MAP: TbEntry = lib(
    190,
    "get_key",
    "return mapping[fileobj]",
    "           ~~~~~~~^^^^^^^^^",
);
const GET_KEY_KEY: TbEntry = lib(
    192,
    "get_key",
    r#"raise KeyError("{!r} is not registered".format(fileobj)) from None"#,
    "",
);
const MAPPING_LOOKUP: TbEntry = lib(
    71,
    "__getitem__",
    "fd = self._selector._fileobj_lookup(fileobj)",
    "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);
const SELECT_TIMEOUT: TbEntry = lib(454, "select", "elif timeout <= 0:", "         ^^^^^^^^^^^^");
const SELECT_CLOSED: TbEntry = lib(
    468,
    "select",
    "fd_event_list = self._selector.poll(timeout, max_ev)",
    "                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
);

/// A Python method's parameters (after `self`): names, how many are
/// required, and its qualified name for the messages.
struct Params {
    qualname: &'static str,
    names: &'static [&'static str],
    required: usize,
}

const REGISTER_PARAMS: Params = Params {
    qualname: "_PollLikeSelector.register",
    names: &["fileobj", "events", "data"],
    required: 2,
};
const UNREGISTER_PARAMS: Params = Params {
    qualname: "_PollLikeSelector.unregister",
    names: &["fileobj"],
    required: 1,
};
const MODIFY_PARAMS: Params = Params {
    qualname: "_PollLikeSelector.modify",
    names: &["fileobj", "events", "data"],
    required: 2,
};
const SELECT_PARAMS: Params = Params {
    qualname: "EpollSelector.select",
    names: &["timeout"],
    required: 0,
};
const GET_KEY_PARAMS: Params = Params {
    qualname: "BaseSelector.get_key",
    names: &["fileobj"],
    required: 1,
};
const KEY_PARAMS: Params = Params {
    qualname: "SelectorKey.__new__",
    names: &["fileobj", "fd", "events", "data"],
    required: 4,
};

impl Interp {
    /// Binds a method's arguments to its parameters, with CPython's
    /// messages for a missing, extra or unknown one.
    fn bind_params(
        &mut self,
        p: &Params,
        args: Vec<Value>,
        kw: Vec<(Sym, Value)>,
    ) -> R<Vec<Option<Value>>> {
        let q = p.qualname;
        let max = p.names.len();
        if args.len() > max {
            let msg = if p.required == max {
                format!(
                    "{q}() takes {} positional argument{} but {} were given",
                    max + 1,
                    if max == 0 { "" } else { "s" },
                    args.len() + 1
                )
            } else {
                format!(
                    "{q}() takes from {} to {} positional arguments but {} were given",
                    p.required + 1,
                    max + 1,
                    args.len() + 1
                )
            };
            return Err(self.exc_flow(Ty::TypeError, &msg));
        }
        let mut out: Vec<Option<Value>> = vec![None; max];
        for (slot, a) in out.iter_mut().zip(args) {
            *slot = Some(a);
        }
        for (k, v) in kw {
            let name = self.heap.name(k).to_string();
            let Some(i) = p.names.iter().position(|n| *n == name) else {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{q}() got an unexpected keyword argument '{name}'"),
                ));
            };
            if out[i].is_some() {
                return Err(self.exc_flow(
                    Ty::TypeError,
                    &format!("{q}() got multiple values for argument '{name}'"),
                ));
            }
            out[i] = Some(v);
        }
        let missing: Vec<String> = p.names[..p.required]
            .iter()
            .zip(&out)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| format!("'{n}'"))
            .collect();
        if !missing.is_empty() {
            let list = match missing.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) if rest.len() == 1 => format!("{} and {last}", rest[0]),
                Some((last, rest)) => format!("{}, and {last}", rest.join(", ")),
                None => String::new(),
            };
            let n = missing.len();
            return Err(self.exc_flow(
                Ty::TypeError,
                &format!(
                    "{q}() missing {n} required positional argument{}: {list}",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        Ok(out)
    }

    /// Adds selectors.py's frames (innermost first) to an exception
    /// leaving the module.
    fn in_selectors<T>(&mut self, r: R<T>, frames: &[TbEntry]) -> R<T> {
        if let Err(Flow::Exc(e)) = &r {
            if let Some(x) = self.heap.exc_mut(e) {
                x.tb.extend(frames.iter().cloned());
            }
        }
        r
    }
}
