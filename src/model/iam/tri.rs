//! Three-valued logic for static evaluation: `Unknown` stands for "depends on something the
//! files do not say" (an unresolved CloudFormation parameter, a request value we cannot
//! know), so rules can stay silent instead of guessing.

use std::ops::Not;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    /// Kleene conjunction: `False` wins over `Unknown`.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: `True` wins over `Unknown`.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Conjunction of all; `True` for none (as IAM's "every condition holds").
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut acc = Tri::True;
        for t in items {
            acc = acc.and(t);
            if acc == Tri::False {
                break;
            }
        }
        acc
    }

    /// Disjunction of all; `False` for none.
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut acc = Tri::False;
        for t in items {
            acc = acc.or(t);
            if acc == Tri::True {
                break;
            }
        }
        acc
    }

    pub fn is_true(self) -> bool {
        self == Tri::True
    }

    pub fn is_false(self) -> bool {
        self == Tri::False
    }

    /// True or Unknown: "could hold".
    pub fn maybe(self) -> bool {
        self != Tri::False
    }
}

impl Not for Tri {
    type Output = Tri;
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

impl From<bool> for Tri {
    fn from(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::{self, False as F, True as T, Unknown as U};

    #[test]
    fn kleene_tables() {
        let cases = [
            (T, T, T, T),
            (T, F, F, T),
            (T, U, U, T),
            (F, F, F, F),
            (F, U, F, U),
            (U, U, U, U),
        ];
        for (a, b, and, or) in cases {
            assert_eq!(a.and(b), and, "{a:?} and {b:?}");
            assert_eq!(b.and(a), and, "{b:?} and {a:?}");
            assert_eq!(a.or(b), or, "{a:?} or {b:?}");
            assert_eq!(b.or(a), or, "{b:?} or {a:?}");
        }
        assert_eq!(!T, F);
        assert_eq!(!U, U);
        assert_eq!(Tri::all([]), T);
        assert_eq!(Tri::any([]), F);
        assert_eq!(Tri::any([F, U]), U);
        assert_eq!(Tri::all([T, U, F]), F);
    }
}
