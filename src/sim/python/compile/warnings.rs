//! Compile-time SyntaxWarnings: `x is <literal>` and "perhaps you missed a
//! comma?" on calling or subscripting a literal.

use super::*;

/// Whether CPython's AST optimizer makes `e` a constant other than None,
/// True, False and `...` (then `x is e` gets a SyntaxWarning).
pub(super) fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        E::Int(_) | E::Float(_) | E::Str(_) | E::Bytes(_) | E::BigInt => true,
        E::Unary(UnOp::Neg | UnOp::Pos | UnOp::Invert, x) => {
            matches!(x.kind, E::Int(_) | E::Float(_))
        }
        E::Tuple(items) => items
            .iter()
            .all(|i| is_literal(i) || matches!(i.kind, E::True | E::False | E::None)),
        _ => false,
    }
}

/// The type of a literal display, for the "perhaps you missed a comma?" warnings.
pub(super) fn literal_type(e: &Expr) -> Option<&'static str> {
    Some(match &e.kind {
        E::Int(_) | E::BigInt => "int",
        E::Float(_) => "float",
        E::Str(_) | E::FStr(_) => "str",
        E::Bytes(_) => "bytes",
        E::True | E::False => "bool",
        E::None => "NoneType",
        E::Ellipsis => "ellipsis",
        E::Tuple(_) => "tuple",
        E::List(_) | E::Comp(CompKind::List, ..) => "list",
        E::Dict(_) | E::Comp(CompKind::Dict, ..) => "dict",
        E::Set(_) | E::Comp(CompKind::Set, ..) => "set",
        E::Comp(CompKind::Gen, ..) => "generator",
        E::Lambda(_) => "function",
        _ => return None,
    })
}

impl Compiler<'_> {
    /// CPython's check_subscripter / check_index warnings.
    pub(super) fn check_subscript(&mut self, obj: &Expr, idx: &Expr, line: u32) {
        let Some(t) = literal_type(obj) else {
            return;
        };
        let not_subscriptable = matches!(
            obj.kind,
            E::Int(_)
                | E::BigInt
                | E::Float(_)
                | E::None
                | E::Ellipsis
                | E::Set(_)
                | E::Comp(CompKind::Set | CompKind::Gen, ..)
                | E::Lambda(_)
        );
        if not_subscriptable {
            self.warnings.push((
                line,
                format!("'{t}' object is not subscriptable; perhaps you missed a comma?"),
            ));
            return;
        }
        if matches!(
            obj.kind,
            E::Str(_)
                | E::Bytes(_)
                | E::Tuple(_)
                | E::List(_)
                | E::Comp(CompKind::List, ..)
                | E::FStr(_)
        ) {
            let bad = match &idx.kind {
                E::Str(_) | E::FStr(_) => Some("str"),
                E::Bytes(_) => Some("bytes"),
                E::Float(_) => Some("float"),
                E::None => Some("NoneType"),
                E::Tuple(_) => Some("tuple"),
                E::List(_) | E::Comp(CompKind::List, ..) => Some("list"),
                E::Dict(_) => Some("dict"),
                E::Set(_) => Some("set"),
                _ => None,
            };
            if let Some(b) = bad {
                self.warnings.push((line, format!("{t} indices must be integers or slices, not {b}; perhaps you missed a comma?")));
            }
        }
    }
}
