//! saphyr-parser's events over one chunk, with a bound on what its scanner holds at once.
//!
//! saphyr's scanner keeps every token of a flow collection that might be an implicit key
//! (`[…]` or `{…}` at the start of a document or after `- `; not a mapping's value) until it
//! knows (its `stale_simple_keys` only expires keys outside flow collections), so a 10 MB
//! `[1,1,…]` is tokenised whole, about 260 bytes a token, before its first event: 2.6 GB. Chunks big
//! enough to hold such a run are read through a character iterator that counts the flow
//! indicators (`,` `[` `{`) the scanner takes between two events and ends the input when there
//! are more than `Limits::max_flow_run` (a million: about 450 MB of tokens): the document
//! becomes an `input-limit` finding instead.

use std::cell::Cell;
use std::rc::Rc;
use std::str::Chars;

use saphyr_parser::{BufferedInput, Event, Parser, ScanError, Span as SaphyrSpan, StrInput};

pub(super) enum Events<'a> {
    Plain(Parser<'a, StrInput<'a>>),
    Guarded(Parser<'a, BufferedInput<Counted<'a>>>, Rc<Cell<Run>>),
}

/// What the guarded input has read since the last event.
#[derive(Clone, Copy, Default)]
pub(super) struct Run {
    flow: usize,
    bytes: usize,
    stopped: Option<usize>,
}

pub(super) struct Counted<'a> {
    chars: Chars<'a>,
    run: Rc<Cell<Run>>,
    max: usize,
}

impl Iterator for Counted<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let mut run = self.run.get();
        if run.stopped.is_some() {
            return None;
        }
        let c = self.chars.next()?;
        if matches!(c, ',' | '[' | '{') {
            run.flow += 1;
            if run.flow > self.max {
                run.stopped = Some(run.bytes);
                self.run.set(run);
                return None;
            }
        }
        run.bytes += c.len_utf8();
        self.run.set(run);
        Some(c)
    }
}

impl<'a> Events<'a> {
    /// The events of `chunk`, with at most `max_flow_run` flow indicators read between two.
    pub(super) fn new(chunk: &'a str, max_flow_run: usize) -> Events<'a> {
        // A shorter chunk cannot hold more indicators: saphyr's faster `&str` input.
        Events::with_guard_from(chunk, max_flow_run, max_flow_run)
    }

    /// [`Events::new`] with the size from which the guarded input is used (tests compare both).
    pub(super) fn with_guard_from(
        chunk: &'a str,
        max_flow_run: usize,
        guard_from: usize,
    ) -> Events<'a> {
        if chunk.len() < guard_from {
            return Events::Plain(Parser::new_from_str(chunk).keep_tags(true));
        }
        let run = Rc::new(Cell::new(Run::default()));
        let chars = Counted {
            chars: chunk.chars(),
            run: Rc::clone(&run),
            max: max_flow_run,
        };
        Events::Guarded(Parser::new_from_iter(chars).keep_tags(true), run)
    }

    /// saphyr's next event. After it, [`Events::stopped`] says whether the guard ended the
    /// input (then the event is not to be trusted). Returned as saphyr gives it, so that the
    /// unguarded path costs nothing more than the parser.
    #[inline]
    pub(super) fn next_event(&mut self) -> Option<Result<(Event<'a>, SaphyrSpan), ScanError>> {
        match self {
            Events::Plain(parser) => parser.next_event(),
            Events::Guarded(parser, run) => {
                let mut r = run.get();
                r.flow = 0;
                run.set(r);
                parser.next_event()
            }
        }
    }

    /// The byte offset in the chunk where the guard ended the input: the scanner read more
    /// than the limit of flow indicators without an event.
    #[inline]
    pub(super) fn stopped(&self) -> Option<usize> {
        match self {
            Events::Plain(_) => None,
            Events::Guarded(_, run) => run.get().stopped,
        }
    }
}
