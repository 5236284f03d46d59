//! Source files, byte spans and the line index that turns spans into line/column at report time.

use std::ops::Range;

/// Index of a file in the [`SourceMap`] of one run.
pub type FileId = u32;

/// A byte range in one source file. Line and column are derived only when reporting, so that
/// rules never compute positions themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn empty(file: FileId, at: usize) -> Span {
        Span::new(file, at, at)
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(&self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Byte offsets of line starts. Lines end at `\n`; a `\r` before it belongs to the line's
/// end, so CRLF files get the same line numbers and columns as LF files.
///
/// Columns count characters. In ASCII text a column is a byte difference; otherwise the
/// number of characters before every [`CHAR_BLOCK`]-th byte is kept, so that a column on a
/// long line (a minified policy) costs at most one block's scan, not a scan of the line:
/// positions of thousands of findings on one line are not quadratic.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// Characters in `text[..i * CHAR_BLOCK]`; empty for ASCII text.
    chars_before_block: Vec<u32>,
}

const CHAR_BLOCK: usize = 1024;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        // Counted first (memchr, a fraction of the cost of collecting them): kept for the
        // whole run, the starts are allocated once at their exact length, not grown by
        // doubling from a guess (a monorepo's lines are shorter than any fixed guess).
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let mut starts = Vec::with_capacity(lines + 1);
        starts.push(0);
        starts.extend(newline_ends(text));
        let chars_before_block = if text.is_ascii() {
            Vec::new()
        } else {
            let mut n = 0u32;
            let mut blocks = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                blocks.push(n);
                n += block.iter().filter(|&&b| !is_continuation(b)).count() as u32;
            }
            blocks.push(n);
            blocks
        };
        LineIndex {
            starts,
            chars_before_block,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        let i = line.saturating_sub(1).min(self.starts.len() - 1);
        self.starts[i] as usize
    }

    /// 1-based line and 1-based column (counted in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line] as usize;
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.chars_before(text, end) - self.chars_before(text, start) + 1;
        (line + 1, col)
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.chars_before_block.is_empty() {
            return offset;
        }
        let block = offset / CHAR_BLOCK;
        let Some(&before) = self.chars_before_block.get(block) else {
            return text[..offset].chars().count();
        };
        let from = block * CHAR_BLOCK;
        before as usize
            + text.as_bytes()[from..offset]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }

    /// Byte offset of 1-based `line` and 0-based character column `col`, clamped to the line.
    pub fn offset(&self, text: &str, line: usize, col: usize) -> usize {
        let start = self.line_start(line);
        let line_end = text[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(text.len());
        let line_text = &text[start..line_end];
        match line_text.char_indices().nth(col) {
            Some((i, _)) => start + i,
            None => line_end,
        }
    }
}

/// A UTF-8 continuation byte (not the first byte of a character).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Offsets just after each `\n`. `str::find` with a char searches a word at a time rather
/// than testing every byte (the line index was 2% of the instructions of a 1,000-app lint).
/// Whether `needle` occurs in `text`: memchr's vectorised substring search. The loader asks
/// this of every input's whole text several times (suppression markers, template markup,
/// eksctl and OpenShift objects); `str::contains` scans a byte at a time.
pub fn text_contains(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// A fixed substring the loader looks for in every input (a suppression marker, template
/// markup, eksctl objects): [`text_contains`] builds memchr's searcher on each call, which
/// cost about as much as the search itself on a run's small files; a `Needle` builds it
/// once for the run.
pub struct Needle {
    text: &'static str,
    finder: std::sync::OnceLock<memchr::memmem::Finder<'static>>,
}

impl Needle {
    pub const fn new(text: &'static str) -> Needle {
        Needle {
            text,
            finder: std::sync::OnceLock::new(),
        }
    }

    /// Whether the needle occurs in `text`.
    pub fn in_text(&self, text: &str) -> bool {
        self.finder
            .get_or_init(|| memchr::memmem::Finder::new(self.text))
            .find(text.as_bytes())
            .is_some()
    }
}

fn newline_ends(text: &str) -> impl Iterator<Item = u32> + '_ {
    // memchr's vectorised search: every input's lines are indexed, and `str::find` per line
    // cost a search set-up for every twenty-odd bytes.
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at as u32 + 1)
}

/// One input of a run: its display path (relative to the current directory when under it,
/// `/`-separated) and its text.
///
/// The text of a file read from disk may be let go once the load stage is done with it
/// ([`SourceFile::release_text`]: `lint` does, right after the file's parse, or after the
/// Terraform pipeline for what it reads), keeping what is needed to read it again
/// identically ([`Origin`]); [`SourceFile::text`] reads it again, once, when a finding, a
/// suppression, a fix or a snippet needs it. A file whose bytes changed since they were
/// loaded gives an empty text and [`SourceFile::changed`] (the CLI refuses to report a run
/// whose positions it cannot trust). stdin, texts the loader transformed (a lossy prefix of
/// a binary file) and the runs that may write files back (`--fix`) keep their texts.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    pub path: String,
    /// The text, when kept or read again.
    text: std::sync::OnceLock<String>,
    /// Where the text can be read again from, when it may be let go.
    origin: Option<Origin>,
    /// Built on first use ([`SourceFile::lines`]): only the files a finding, a suppression or
    /// a snippet points into need one after loading, and every file's line starts kept for
    /// the whole run were 4 MB of the heap at its peak on the 10k benchmark with Terraform
    /// (the loaders build their own while they parse, and drop it). Boxed: 16 bytes in every
    /// file's record rather than 56, for the few files that build one.
    lines: std::sync::OnceLock<Box<LineIndex>>,
}

/// What reads a released text again identically: the file's path on disk, and the length
/// and hash of the bytes the text was decoded from (the text is those bytes: only a file
/// that was valid UTF-8 as it was read gets an origin).
#[derive(Debug)]
pub struct Origin {
    /// `None` when it is the display path (a path under the current directory, or an
    /// absolute one outside it): a run's paths are not kept twice.
    path: Option<Box<std::path::Path>>,
    len: u64,
    hash: u64,
    /// Set when reading it again found other bytes (or none).
    changed: std::sync::atomic::AtomicBool,
    /// How many times the text was read again (0 or 1; counted for the benchmark).
    reread: std::sync::atomic::AtomicBool,
}

impl Origin {
    /// The origin of `text`, read from `path` and shown as `display`.
    pub fn of(path: &std::path::Path, display: &str, text: &str) -> Origin {
        // Bytes, not `Path`'s `==`: that compares component by component from the end, and
        // a file shown relative to the current directory but found by an absolute path
        // (`irsalint lint /abs/dir` run inside it) differs only at the front: 2% of a run's
        // instructions went there. A path equal only after normalising (`a//b`) is kept,
        // which costs its bytes and changes nothing else.
        let bytes = path.as_os_str().as_encoded_bytes();
        let same = bytes.strip_prefix(b"./").unwrap_or(bytes) == display.as_bytes();
        Origin {
            path: (!same).then(|| path.into()),
            len: text.len() as u64,
            hash: text_hash(text.as_bytes()),
            changed: std::sync::atomic::AtomicBool::new(false),
            reread: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The file's text read again (`display`: its display path), when its bytes are still
    /// the ones loaded.
    fn read(&self, display: &str) -> Option<String> {
        use std::io::Read;
        let path = self
            .path
            .as_deref()
            .unwrap_or_else(|| std::path::Path::new(display));
        let f = std::fs::File::open(path).ok()?;
        // One byte more than expected tells a longer file from the same one.
        let mut bytes = Vec::with_capacity(self.len as usize + 1);
        f.take(self.len + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 != self.len || text_hash(&bytes) != self.hash {
            return None;
        }
        String::from_utf8(bytes).ok()
    }
}

/// The hash a released text is checked with when read again (64 bits: foldhash's quality
/// hasher with a fixed seed, so that it is the same in every thread of the run).
fn text_hash(bytes: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = foldhash::quality::FixedState::with_seed(0x6972_7361_6c69_6e74).build_hasher();
    h.write(bytes);
    h.finish()
}

impl SourceFile {
    pub fn new(id: FileId, path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            id,
            path: path.into(),
            text: std::sync::OnceLock::from(text.into()),
            origin: None,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// A file whose text may be released ([`SourceFile::release_text`]) and read again from
    /// `origin`.
    pub fn with_origin(
        id: FileId,
        path: impl Into<String>,
        text: String,
        origin: Option<Origin>,
    ) -> SourceFile {
        SourceFile {
            origin,
            ..SourceFile::new(id, path, text)
        }
    }

    /// The file's text: kept, or read again from disk the first time it is asked for after
    /// [`SourceFile::release_text`]. Empty when the file changed since it was loaded
    /// ([`SourceFile::changed`]).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let Some(origin) = &self.origin else {
                return String::new();
            };
            origin
                .reread
                .store(true, std::sync::atomic::Ordering::Relaxed);
            origin.read(&self.path).unwrap_or_else(|| {
                origin
                    .changed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                String::new()
            })
        })
    }

    /// Lets the text go when it can be read again (a file with an [`Origin`]); its line
    /// index goes too. Returns whether it did.
    pub fn release_text(&mut self) -> bool {
        if self.origin.is_none() {
            return false;
        }
        self.lines.take();
        self.text.take().is_some()
    }

    /// [`SourceFile::release_text`], giving the text to the caller (`None`: kept, as it
    /// cannot be read again, or released already).
    pub fn take_text(&mut self) -> Option<String> {
        self.origin.as_ref()?;
        self.lines.take();
        self.text.take()
    }

    /// Whether the text was released and reading it again found the file changed (other
    /// bytes, or unreadable): its text is then empty, and positions in it are unknown.
    pub fn changed(&self) -> bool {
        self.origin
            .as_ref()
            .is_some_and(|o| o.changed.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Whether the text is let go of now (read again on the next [`SourceFile::text`]).
    pub fn released(&self) -> bool {
        self.text.get().is_none()
    }

    /// Whether the text was read again from disk after being released.
    pub fn reread(&self) -> bool {
        self.origin
            .as_ref()
            .is_some_and(|o| o.reread.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// The file's line index, built from its text the first time it is asked for.
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| Box::new(LineIndex::new(self.text())))
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text().get(span.range()).unwrap_or("")
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines().line_col(self.text(), offset)
    }
}

/// All files of one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id (its line index is built when first asked for).
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = self.files.len() as FileId;
        self.files.push(SourceFile::new(id, path, text));
        id
    }

    /// The map of `files`, whose ids must be their indexes.
    pub fn from_files(files: Vec<SourceFile>) -> SourceMap {
        debug_assert!(files.iter().enumerate().all(|(i, f)| f.id as usize == i));
        SourceMap { files }
    }

    /// Room for `n` more files.
    pub fn reserve(&mut self, n: usize) {
        self.files.reserve_exact(n);
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn files_mut(&mut self) -> &mut [SourceFile] {
        &mut self.files
    }

    /// The files whose released text could not be read again identically.
    pub fn changed(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(|f| f.changed())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_handles_crlf() {
        let text = "a: 1\r\nbé: x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 5));
        assert_eq!(idx.offset(text, 2, 4), x);
        assert_eq!(idx.line_col(text, text.len()), (3, 1));
    }

    /// Columns past the first blocks of a long non-ASCII line, and in the middle of a
    /// character, agree with counting characters from the line start.
    #[test]
    fn columns_on_long_non_ascii_lines_count_characters() {
        let text = format!("x\n{}\n", "é1✓".repeat(3000));
        let idx = LineIndex::new(&text);
        for offset in [
            2,
            3,
            5,
            1023,
            1024,
            1025,
            4096,
            9001,
            15_000,
            text.len() - 1,
        ] {
            let mut b = offset;
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            let expected = text[2..b].chars().count() + 1;
            assert_eq!(
                idx.line_col(&text, offset),
                (2, expected),
                "offset {offset}"
            );
        }
    }

    /// `take_text` gives the text of a file that can be read again (which then reads it
    /// again when asked), and keeps one that cannot (stdin, a `--fix` run's input).
    #[test]
    fn a_text_is_taken_only_when_it_can_be_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        let text = "resource \"aws_iam_role\" \"r\" {}\n";
        std::fs::write(&path, text).unwrap();
        let origin = Origin::of(&path, "main.tf", text);
        let mut f = SourceFile::with_origin(0, "main.tf", text.to_string(), Some(origin));
        assert_eq!(f.line_col(text.len()), (2, 1));
        assert_eq!(f.take_text().as_deref(), Some(text));
        assert!(f.released() && !f.reread());
        assert_eq!(f.take_text(), None);
        assert_eq!(f.text(), text);
        assert!(f.reread() && !f.changed());
        let mut kept = SourceFile::new(1, "-", text.to_string());
        assert_eq!(kept.take_text(), None);
        assert!(!kept.released());
        assert_eq!(kept.text(), text);
    }

    /// A released text read again, and what happens when the file changed in between: the
    /// same bytes give the same text; other bytes of the same length, more bytes, fewer
    /// bytes or no file give an empty text, `changed`, and positions that stay in range.
    #[test]
    fn a_released_text_is_read_again_only_when_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sa.yaml");
        let text = "kind: ServiceAccount\nmetadata:\n  name: é\n";
        let load = || {
            std::fs::write(&path, text).unwrap();
            let origin = Origin::of(&path, "sa.yaml", text);
            let mut f = SourceFile::with_origin(3, "sa.yaml", text.to_string(), Some(origin));
            assert!(!f.released() && !f.reread());
            assert_eq!(f.line_col(text.len()), (4, 1));
            assert!(f.release_text());
            assert!(f.released() && !f.reread());
            f
        };
        let f = load();
        assert_eq!(f.text(), text);
        assert!(f.reread() && !f.changed());
        // Shown as its own path (absolute, outside the current directory): the path is not
        // kept twice, and the display path reads it.
        let display = path.to_str().unwrap();
        let origin = Origin::of(&path, display, text);
        assert!(origin.path.is_none());
        let mut g = SourceFile::with_origin(0, display, text.to_string(), Some(origin));
        assert!(g.release_text());
        assert_eq!(g.text(), text);
        assert!(g.reread() && !g.changed());
        assert!(
            Origin::of(std::path::Path::new("./a/b.yaml"), "a/b.yaml", "x")
                .path
                .is_none()
        );
        assert_eq!(f.line_col(text.find('é').unwrap()), (3, 9));
        assert_eq!(f.slice(Span::new(3, 0, 4)), "kind");

        let same_length = text.replace("kind", "KIND");
        let longer = format!("{text}#");
        let shorter = &text[..text.len() - 1];
        for changed in [
            Some(same_length.as_str()),
            Some(&longer),
            Some(shorter),
            None,
        ] {
            let f = load();
            match changed {
                Some(t) => std::fs::write(&path, t).unwrap(),
                None => std::fs::remove_file(&path).unwrap(),
            }
            assert_eq!(f.text(), "", "{changed:?}");
            assert!(f.changed() && f.reread());
            assert_eq!(f.slice(Span::new(3, 5, 20)), "");
            assert_eq!(f.line_col(30), (1, 1));
            // Asked again: not read a third time, still empty.
            std::fs::write(&path, text).unwrap();
            assert_eq!(f.text(), "");
        }
    }

    /// A file without an origin (stdin, a text the loader transformed, a `--fix` run's)
    /// keeps its text.
    #[test]
    fn a_text_without_origin_is_kept() {
        let mut f = SourceFile::new(0, "-", "a: 1\n");
        assert!(!f.release_text());
        assert!(!f.released());
        assert_eq!(f.text(), "a: 1\n");
        assert!(!f.reread() && !f.changed());
    }

    /// The hash is the same for the same bytes (every thread of a run, every run) and tells
    /// a one-byte change.
    #[test]
    fn the_text_hash_tells_one_byte() {
        assert_eq!(text_hash(b"kind: Pod\n"), text_hash(b"kind: Pod\n"));
        assert_ne!(text_hash(b"kind: Pod\n"), text_hash(b"kind: Pod\r"));
        assert_ne!(text_hash(b"kind: Pod\n"), text_hash(b"kind: Pod\n\0"));
        let h = std::thread::spawn(|| text_hash(b"abc")).join().unwrap();
        assert_eq!(h, text_hash(b"abc"));
    }
}
