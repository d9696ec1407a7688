//! Bytes → records: a streaming CSV reader over `csv-core`.
//!
//! Input arrives in chunks of any size (a `File.stream()` in the browser, a
//! `read` loop natively). The first [`SNIFF_LEN`] bytes are held back to strip
//! a byte-order mark and detect the delimiter; after that every byte goes
//! straight to the tokeniser. Because the sniffed prefix is the same however
//! the input was chunked, the records produced never depend on chunk
//! boundaries.

use crate::error::{Error, ErrorCode};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// How many leading bytes are examined to detect the delimiter.
pub const SNIFF_LEN: usize = 64 * 1024;

/// Delimiters we detect, in order of preference when counts tie.
pub const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The longest record we hold in memory; longer means an unmatched quote or
/// not a CSV file, and must not exhaust the browser's memory.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// Mirrors csv-core's quoting states, only to tell at the end of the input
/// whether a quoted field was left open (csv-core silently closes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    StartOfField,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: an escaped quote or the closing one.
    QuoteInQuoted,
}

#[derive(Debug, Clone, Copy)]
struct QuoteTracker {
    state: Quoting,
    line: u64,
    opened_on_line: u64,
    /// The byte that ends a line: `\n`, or `\r` in an old-Mac file.
    newline: u8,
}

impl QuoteTracker {
    fn new() -> Self {
        QuoteTracker { state: Quoting::StartOfField, line: 1, opened_on_line: 0, newline: b'\n' }
    }

    /// Jumps from quote to quote (memchr), so plain text costs one vectorised
    /// search plus a newline count rather than a branch per byte.
    fn scan(&mut self, bytes: &[u8], delimiter: u8) {
        let separates = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
        // Counts in blocks of 255 into a u8, which the compiler turns into SIMD.
        let newline = self.newline;
        let newlines = |span: &[u8]| -> u64 {
            span.chunks(255).map(|block| u64::from(block.iter().fold(0u8, |n, &b| n + u8::from(b == newline)))).sum()
        };
        let mut rest = bytes;
        while let Some(&first) = rest.first() {
            match self.state {
                Quoting::Quoted => match memchr::memchr(b'"', rest) {
                    None => {
                        self.line += newlines(rest);
                        return;
                    }
                    Some(k) => {
                        self.line += newlines(&rest[..k]);
                        self.state = Quoting::QuoteInQuoted;
                        rest = &rest[k + 1..];
                    }
                },
                Quoting::QuoteInQuoted => {
                    if first == newline {
                        self.line += 1;
                    }
                    self.state = match first {
                        b'"' => Quoting::Quoted,
                        b if separates(b) => Quoting::StartOfField,
                        _ => Quoting::Unquoted,
                    };
                    rest = &rest[1..];
                }
                Quoting::StartOfField | Quoting::Unquoted => {
                    let k = memchr::memchr(b'"', rest).unwrap_or(rest.len());
                    let span = &rest[..k];
                    self.line += newlines(span);
                    if let Some(&last) = span.last() {
                        self.state = if separates(last) { Quoting::StartOfField } else { Quoting::Unquoted };
                    }
                    if k == rest.len() {
                        return;
                    }
                    // A quote opens a quoted field only at the start of a field.
                    if self.state == Quoting::StartOfField {
                        self.opened_on_line = self.line;
                        self.state = Quoting::Quoted;
                    } else {
                        self.state = Quoting::Unquoted;
                    }
                    rest = &rest[k + 1..];
                }
            }
        }
    }
}

/// One parsed record. Index 0 is the header.
pub struct Record<'a> {
    /// 0 for the header, 1 for the first data record, and so on.
    pub index: u64,
    /// 1-based line on which the record ends (as a text editor counts lines).
    pub line: u64,
    fields: &'a [u8],
    ends: &'a [usize],
    /// Bytes between one field's end and the next field's start: 0 in
    /// csv-core's output, 1 (the delimiter) when fields are read in place.
    gap: usize,
}

impl<'a> Record<'a> {
    /// A record of fields laid end to end, `ends[i]` the end of field `i`
    /// (a spreadsheet's row, say).
    pub fn from_fields(index: u64, line: u64, fields: &'a [u8], ends: &'a [usize]) -> Self {
        Record { index, line, fields, ends, gap: 0 }
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Raw bytes of field `i`, or `None` past the end of a short row.
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + self.gap };
        self.fields.get(start..end)
    }
}

/// Receives records as they are parsed.
pub trait RecordSink {
    /// Takes one record, the header first; an error stops the reading and is
    /// returned by the stream.
    fn record(&mut self, record: &Record<'_>) -> Result<(), Error>;
}

enum Phase {
    /// Holding back the start of the file until the delimiter is known.
    Sniffing(Vec<u8>),
    Reading,
}

/// Incremental CSV reader; feed it chunks, then call [`CsvStream::finish`].
pub struct CsvStream {
    phase: Phase,
    forced_delimiter: Option<u8>,
    delimiter: u8,
    reader: Reader,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    records: u64,
    bytes: u64,
    finished: bool,
    /// Bytes consumed by the tokeniser (a byte-order mark included).
    consumed: u64,
    header_end: u64,
    last_record_end: u64,
    /// Stop after the first data record that ends at or past this offset.
    stop_at: Option<u64>,
    stopped: bool,
    quotes: QuoteTracker,
    /// csv-core has just returned a record, so the next byte starts a new
    /// one (or is a terminator csv-core would skip): lines can be read in place.
    at_record_start: bool,
    /// Lines ended so far (counted with csv-core's rule: one per `\n`; one
    /// per `\r` in an old-Mac file, which has no `\n`).
    line: u64,
    /// True when the start of the file has `\r` line ends and no `\n`.
    cr_lines: bool,
    /// Field ends of a line read in place.
    line_ends: Vec<usize>,
    /// Off only in tests, to compare against csv-core alone.
    in_place: bool,
}

impl CsvStream {
    /// `delimiter: None` detects it from the start of the input.
    pub fn new(delimiter: Option<u8>) -> Self {
        CsvStream {
            phase: Phase::Sniffing(Vec::new()),
            forced_delimiter: delimiter,
            delimiter: delimiter.unwrap_or(b','),
            reader: Reader::new(),
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            records: 0,
            bytes: 0,
            finished: false,
            consumed: 0,
            header_end: 0,
            last_record_end: 0,
            stop_at: None,
            stopped: false,
            quotes: QuoteTracker::new(),
            at_record_start: false,
            line: 1,
            cr_lines: false,
            line_ends: Vec::new(),
            in_place: true,
        }
    }

    /// Stops reading after the first data record that ends at or past
    /// `offset − 1` (a byte offset in this stream): the record that straddles
    /// a part boundary is finished by the part before it.
    pub fn stop_at(&mut self, offset: u64) {
        self.stop_at = Some(offset);
    }

    /// Whether [`CsvStream::stop_at`] has been reached; later input is ignored.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Offset just past the header record's terminator.
    pub fn header_end(&self) -> u64 {
        self.header_end
    }

    /// Offset just past the last record read.
    pub fn last_record_end(&self) -> u64 {
        self.last_record_end
    }

    /// The delimiter in use (meaningful once the first record has been read).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Bytes consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Reads the next chunk, which may split anywhere, passing each complete
    /// record to `sink`. Fails when fed after `finish`, when a record cannot be
    /// read, or when `sink` fails.
    pub fn feed(&mut self, chunk: &[u8], sink: &mut dyn RecordSink) -> Result<(), Error> {
        if self.finished {
            return Err(Error::new(ErrorCode::EngineMisuse, "input was fed after the end of the file"));
        }
        self.bytes += chunk.len() as u64;
        if self.stopped {
            return Ok(());
        }
        match &mut self.phase {
            Phase::Sniffing(held) => {
                held.extend_from_slice(chunk);
                if held.len() >= SNIFF_LEN {
                    self.start_reading(sink)?;
                }
                Ok(())
            }
            Phase::Reading => self.tokenise(chunk, sink),
        }
    }

    /// Ends the input: reads what is still held and passes the last record to
    /// `sink`; fails if a quoted value was never closed (not checked once a
    /// part has reached its end). Calling it again does nothing.
    pub fn finish(&mut self, sink: &mut dyn RecordSink) -> Result<(), Error> {
        if self.finished {
            return Ok(());
        }
        if let Phase::Sniffing(_) = self.phase {
            self.start_reading(sink)?;
        }
        self.finished = true;
        if self.stopped {
            return Ok(());
        }
        if self.quotes.state == Quoting::Quoted {
            return Err(Error::new(ErrorCode::InputUnclosedQuote,
                "a quoted value that starts on this line is never closed: there is an unmatched \" character, so the rest of the file would be read as one value",
            )
            .at_line(self.quotes.opened_on_line));
        }
        // An empty slice tells csv-core the input has ended.
        self.tokenise(&[], sink)
    }

    /// Reads any bytes still held for delimiter detection, without ending the
    /// input: for a reader given only the start of a file.
    pub fn flush_held(&mut self, sink: &mut dyn RecordSink) -> Result<(), Error> {
        if let Phase::Sniffing(_) = self.phase {
            self.start_reading(sink)?;
        }
        Ok(())
    }

    fn start_reading(&mut self, sink: &mut dyn RecordSink) -> Result<(), Error> {
        let held = match std::mem::replace(&mut self.phase, Phase::Reading) {
            Phase::Sniffing(held) => held,
            Phase::Reading => return Ok(()),
        };
        let body = strip_bom(&held)?;
        refuse_binary(body)?;
        self.consumed = (held.len() - body.len()) as u64;
        self.delimiter = match self.forced_delimiter {
            Some(d) => d,
            None => detect_delimiter(&body[..body.len().min(SNIFF_LEN)]),
        };
        self.reader = ReaderBuilder::new().delimiter(self.delimiter).build();
        let sniff = &body[..body.len().min(SNIFF_LEN)];
        self.cr_lines = !sniff.contains(&b'\n') && sniff.contains(&b'\r');
        self.quotes.newline = if self.cr_lines { b'\r' } else { b'\n' };
        self.tokenise(body, sink)
    }

    fn tokenise(&mut self, mut input: &[u8], sink: &mut dyn RecordSink) -> Result<(), Error> {
        self.quotes.scan(input, self.delimiter);
        loop {
            if self.at_record_start && self.in_place && !input.is_empty() {
                let used = self.read_in_place(input, sink)?;
                input = &input[used..];
                self.reader.set_line(self.line);
                if self.stopped {
                    return Ok(());
                }
            }
            let (result, nin, nout, nend) =
                self.reader.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.ends_len..]);
            // csv-core has already counted a record's closing '\n' (not a lone '\r').
            let newline = if self.cr_lines { b'\r' } else { b'\n' };
            let ended_by_newline = nin > 0 && input[nin - 1] == newline;
            if self.cr_lines {
                // csv-core counts only '\n': count the old-Mac line ends here.
                self.line += memchr::memchr_iter(b'\r', &input[..nin]).count() as u64;
                self.reader.set_line(self.line);
            }
            input = &input[nin..];
            self.consumed += nin as u64;
            self.out_len += nout;
            self.ends_len += nend;
            self.line = self.reader.line();
            if nin > 0 {
                self.at_record_start = false;
            }
            match result {
                ReadRecordResult::InputEmpty => return Ok(()),
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(Error::new(ErrorCode::InputRowTooLong, format!(
                            "a single row is longer than {} MiB; a quote character is probably unmatched, or this is not a CSV file",
                            MAX_RECORD_BYTES >> 20
                        ))
                        .at_line(self.reader.line()));
                    }
                    let grown = (self.out.len() * 2).min(MAX_RECORD_BYTES);
                    self.out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    let index = self.note_record();
                    let record = Record {
                        index,
                        line: self.reader.line() - u64::from(ended_by_newline),
                        fields: &self.out[..self.out_len],
                        ends: &self.ends[..self.ends_len],
                        gap: 0,
                    };
                    sink.record(&record)?;
                    self.out_len = 0;
                    self.ends_len = 0;
                    // The header always comes through csv-core, so its own
                    // byte-order-mark check is behind it before lines are read in place.
                    self.at_record_start = true;
                    if self.part_ended(index) {
                        return Ok(());
                    }
                }
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    /// Counts a record that ends at `self.consumed`; returns its index.
    fn note_record(&mut self) -> u64 {
        let index = self.records;
        self.records += 1;
        self.last_record_end = self.consumed;
        if index == 0 {
            self.header_end = self.consumed;
        }
        index
    }

    /// After a record: whether a part's end has been reached.
    fn part_ended(&mut self, index: u64) -> bool {
        if index > 0 && self.stop_at.is_some_and(|s| self.consumed + 1 >= s) {
            self.stopped = true;
        }
        self.stopped
    }

    /// Reads the complete lines before the next quote character without
    /// csv-core: with no quotes, a record is a non-empty run of bytes between
    /// `\r`/`\n` terminators, split at each delimiter, exactly as csv-core
    /// reads it, but found with vectorised searches instead of a step per
    /// byte. Returns the bytes used; the rest is left to csv-core.
    fn read_in_place(&mut self, input: &[u8], sink: &mut dyn RecordSink) -> Result<usize, Error> {
        if self.records == 0 {
            return Ok(0);
        }
        let plain = &input[..memchr::memchr(b'"', input).unwrap_or(input.len())];
        let mut used = 0;
        while let Some(offset) = memchr::memchr2(b'\n', b'\r', &plain[used..]) {
            let line = &plain[used..used + offset];
            let terminator = plain[used + offset];
            // Leave very long rows to csv-core, which refuses them with its own message.
            if line.len() >= MAX_RECORD_BYTES / 2 {
                break;
            }
            used += offset + 1;
            self.consumed += offset as u64 + 1;
            let ends_line = u64::from(terminator == if self.cr_lines { b'\r' } else { b'\n' });
            if line.is_empty() {
                self.line += ends_line;
                continue;
            }
            self.line_ends.clear();
            self.line_ends.extend(memchr::memchr_iter(self.delimiter, line));
            self.line_ends.push(line.len());
            let index = self.note_record();
            sink.record(&Record { index, line: self.line, fields: line, ends: &self.line_ends, gap: 1 })?;
            self.line += ends_line;
            if self.part_ended(index) {
                break;
            }
        }
        Ok(used)
    }
}

fn strip_bom(bytes: &[u8]) -> Result<&[u8], Error> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Ok(rest);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::new(
            ErrorCode::InputNotCsv,
            "the file is UTF-16 encoded; save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs) and try again",
        ));
    }
    Ok(bytes)
}

/// Spreadsheets and other binary files, and UTF-16 without a byte-order mark,
/// have NUL bytes in their first line; a CSV header never does.
fn refuse_binary(body: &[u8]) -> Result<(), Error> {
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or_default();
    if body.starts_with(b"PK\x03\x04") {
        return Err(Error::new(
            ErrorCode::InputNotCsv,
            "this looks like an Excel or other zipped file, not a CSV: save it as \"CSV UTF-8\" and open that",
        ));
    }
    if first_line.contains(&0) {
        return Err(Error::new(ErrorCode::InputNotCsv,
            "the first line contains NUL bytes, so this is not a text CSV file (or it is UTF-16 without a byte-order mark): save it as \"CSV UTF-8\"",
        )
        .at_line(1));
    }
    Ok(())
}

/// Picks the candidate that splits the first lines into the same, largest
/// number of fields. Quoted text is skipped, so a comma inside quotes does
/// not count.
pub fn detect_delimiter(sample: &[u8]) -> u8 {
    const MAX_LINES: usize = 20;
    let mut per_line: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let mut complete = false;
    for &b in sample {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            if b == b'\n' {
                per_line.push(counts);
                counts = [0; 4];
                if per_line.len() == MAX_LINES {
                    complete = true;
                    break;
                }
            } else if let Some(k) = CANDIDATE_DELIMITERS.iter().position(|&d| d == b) {
                counts[k] += 1;
            }
        }
    }
    // A final line without a newline counts only if the sample is the whole input.
    if !complete && counts.iter().any(|&c| c > 0) {
        per_line.push(counts);
    }
    let Some(header) = per_line.first() else {
        return b',';
    };
    let mut best: Option<(bool, usize, usize)> = None; // (consistent, header count, index)
    for k in 0..CANDIDATE_DELIMITERS.len() {
        let count = header[k];
        if count == 0 {
            continue;
        }
        let consistent = per_line.iter().all(|line| line[k] == count);
        let candidate = (consistent, count, k);
        let better = match best {
            None => true,
            Some((bc, bn, _)) => (consistent, count) > (bc, bn),
        };
        if better {
            best = Some(candidate);
        }
    }
    best.map_or(b',', |(_, _, k)| CANDIDATE_DELIMITERS[k])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<(u64, u64, Vec<Vec<u8>>)>);

    impl RecordSink for Collect {
        fn record(&mut self, r: &Record<'_>) -> Result<(), Error> {
            let fields = (0..r.len()).filter_map(|i| r.get(i)).map(<[u8]>::to_vec);
            self.0.push((r.index, r.line, fields.collect()));
            Ok(())
        }
    }

    fn parse_in_chunks(bytes: &[u8], chunk: usize) -> Vec<(u64, u64, Vec<Vec<u8>>)> {
        let mut stream = CsvStream::new(None);
        let mut sink = Collect::default();
        for piece in bytes.chunks(chunk.max(1)) {
            stream.feed(piece, &mut sink).expect("feed");
        }
        stream.finish(&mut sink).expect("finish");
        sink.0
    }

    fn text(rows: &[(u64, u64, Vec<Vec<u8>>)]) -> Vec<Vec<String>> {
        rows.iter().map(|(_, _, f)| f.iter().map(|x| String::from_utf8_lossy(x).into_owned()).collect()).collect()
    }

    #[test]
    fn quoting_crlf_and_bom() {
        let input = b"\xEF\xBB\xBFa,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\n3,,\r\n";
        let rows = parse_in_chunks(input, 1 << 20);
        assert_eq!(
            text(&rows),
            vec![vec!["a", "b", "c"], vec!["x,1", "say \"hi\"", "two\r\nlines"], vec!["3", "", ""],]
        );
        let lines: Vec<u64> = rows.iter().map(|r| r.1).collect();
        // The quoted field spans lines 2-3; the blank line 4 is skipped.
        assert_eq!(lines, vec![1, 3, 5]);
        let lf = parse_in_chunks(b"a\n\"x\ny\"\n\nb\nc", 3);
        assert_eq!(lf.iter().map(|r| r.1).collect::<Vec<_>>(), vec![1, 3, 5, 6]);
    }

    fn parse_error(bytes: &[u8], chunk: usize) -> String {
        let mut stream = CsvStream::new(None);
        let mut sink = Collect::default();
        let mut result = Ok(());
        for piece in bytes.chunks(chunk) {
            result = result.and_then(|()| stream.feed(piece, &mut sink));
        }
        result.and_then(|()| stream.finish(&mut sink)).expect_err("should fail").to_string()
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line() {
        let bytes = b"a,b\n1,2\n\"open,3\n4,5\n";
        for chunk in [1, 3, bytes.len()] {
            assert!(parse_error(bytes, chunk)
                .starts_with("line 3: a quoted value that starts on this line is never closed"));
        }
        // Escaped quotes and quotes inside unquoted values are fine.
        let ok = parse_in_chunks(b"a,b\n\"say \"\"hi\"\"\",5'10\"\n", 2);
        assert_eq!(text(&ok)[1], vec!["say \"hi\"", "5'10\""]);
    }

    /// The byte-at-a-time definition the fast scanner must agree with.
    fn naive_scan(bytes: &[u8], delimiter: u8) -> (Quoting, u64, u64) {
        let (mut state, mut line, mut opened) = (Quoting::StartOfField, 1u64, 0u64);
        for &b in bytes {
            let separates = b == delimiter || b == b'\n' || b == b'\r';
            if b == b'\n' {
                line += 1;
            }
            state = match (state, b) {
                (Quoting::StartOfField, b'"') => {
                    opened = line;
                    Quoting::Quoted
                }
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                _ if separates => Quoting::StartOfField,
                _ => Quoting::Unquoted,
            };
        }
        (state, line, opened)
    }

    proptest::proptest! {
        #[test]
        fn fast_quote_scan_agrees_with_the_definition(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', b'"', b',', b'\n', b'\r', b';']), 0..200),
            cut in 0usize..200,
        ) {
            let cut = cut.min(bytes.len());
            let mut fast = QuoteTracker::new();
            fast.scan(&bytes[..cut], b',');
            fast.scan(&bytes[cut..], b',');
            let (state, line, opened) = naive_scan(&bytes, b',');
            proptest::prop_assert_eq!(fast.state, state);
            proptest::prop_assert_eq!(fast.line, line);
            if state == Quoting::Quoted {
                proptest::prop_assert_eq!(fast.opened_on_line, opened);
            }
        }
    }

    /// Records, where they end, and where a part stopped, read with or
    /// without the in-place path.
    fn read_both_ways(bytes: &[u8], cuts: &[usize], stop_at: Option<u64>, in_place: bool) -> String {
        let mut stream = CsvStream::new(Some(b','));
        stream.in_place = in_place;
        if let Some(s) = stop_at {
            stream.stop_at(s);
        }
        let mut sink = Collect::default();
        let mut from = 0;
        let mut result = Ok(());
        for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
            let cut = cut.clamp(from, bytes.len());
            result = result.and_then(|()| stream.feed(&bytes[from..cut], &mut sink));
            from = cut;
        }
        result = result.and_then(|()| stream.finish(&mut sink));
        format!(
            "{:?} {:?} header_end={} last_end={} stopped={} line={}",
            sink.0,
            result.map_err(|e| e.to_string()),
            stream.header_end(),
            stream.last_record_end(),
            stream.stopped(),
            stream.reader.line()
        )
    }

    #[test]
    fn lines_read_in_place_match_csv_core() {
        let input = b"h1,h2\n\r\na,b\r\n\n\rc,\n,\r\"q\nx\",y\nlast,row";
        for stop in [None, Some(9), Some(14)] {
            assert_eq!(read_both_ways(input, &[], stop, true), read_both_ways(input, &[], stop, false));
        }
    }

    proptest::proptest! {
        #[test]
        fn reading_in_place_agrees_with_csv_core(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', b'b', b'"', b',', b'\n', b'\r', b' ', 0xEF, 0xBB, 0xBF]), 0..160),
            cuts in proptest::collection::vec(0usize..160, 0..4),
            stop_at in proptest::option::of(0u64..170),
        ) {
            let mut cuts = cuts;
            cuts.sort_unstable();
            proptest::prop_assert_eq!(
                read_both_ways(&bytes, &cuts, stop_at, true),
                read_both_ways(&bytes, &cuts, stop_at, false)
            );
        }
    }

    #[test]
    fn binary_files_are_refused_with_advice() {
        assert!(parse_error(b"PK\x03\x04\x14\0\0\0", 4).contains("Excel"));
        assert!(parse_error(b"a\0,\0b\0\n\0", 4).starts_with("line 1: the first line contains NUL bytes"));
    }

    #[test]
    fn detects_each_delimiter() {
        assert_eq!(detect_delimiter(b"a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\n1\t2\n"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n1|2|3"), b'|');
        assert_eq!(detect_delimiter(b"a,b\n\"1;2;3\",4\n"), b',');
        assert_eq!(detect_delimiter(b"single\n1\n"), b',');
        assert_eq!(detect_delimiter(b""), b',');
        // Semicolon files from locales with decimal commas: consistency wins.
        assert_eq!(detect_delimiter(b"x;y\n1,5;2\n3,25;4,1\n"), b';');
    }

    #[test]
    fn utf16_is_refused_with_advice() {
        let mut stream = CsvStream::new(None);
        let mut sink = Collect::default();
        stream.feed(b"\xFF\xFEa\0,\0", &mut sink).expect("held");
        let err = stream.finish(&mut sink).expect_err("utf-16");
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }

    #[test]
    fn every_split_point_gives_the_same_records() {
        let input: &[u8] = b"g;d;\"note\"\r\nA;1;\"semi;colon\"\nB;0;\"multi\nline \"\"q\"\"\"\n\xC3\xA9;1;x";
        let whole = parse_in_chunks(input, input.len());
        assert_eq!(whole.len(), 4);
        for chunk in 1..input.len() {
            assert_eq!(parse_in_chunks(input, chunk), whole, "chunk size {chunk}");
        }
        for split in 0..=input.len() {
            let mut stream = CsvStream::new(None);
            let mut sink = Collect::default();
            stream.feed(&input[..split], &mut sink).expect("a");
            stream.feed(&input[split..], &mut sink).expect("b");
            stream.finish(&mut sink).expect("end");
            assert_eq!(sink.0, whole, "split at {split}");
        }
    }
}
