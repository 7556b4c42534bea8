//! An immutable in-memory quad store, built once from a build's quads and then only read.
//!
//! Between two builds reti's dataset never changes, so the in-memory store needs none of what
//! Oxigraph's in-memory store keeps for concurrent writers (a version range and a lock per
//! quad, linked lists threaded through a hash set): about 400 bytes a quad, and a build whose
//! time per quad grows with the store. Here each distinct term is held once, in a dictionary,
//! and each quad is four 32-bit term ids, stored in six sorted orders (SPOG, POSG, OSPG, GSPO,
//! GPOS, GOSP) so that every triple pattern, in the default graph, in one named graph or in
//! any, is one contiguous range found by binary search: 96 bytes a quad, made by sorting.
//!
//! Only named graphs are stored. The default graph is their RDF merge, read from the orders
//! that end with the graph: the quads of one triple are next to each other there, so each
//! triple is given once however many graphs state it (the set semantics reti's default graph
//! has; Oxigraph's "union default graph" would give it once per graph).
//!
//! SPARQL is evaluated on it by Oxigraph's evaluator through [`FrozenView`], which implements
//! its [`QueryableDataset`] with the term ids as internal terms.
//!
//! ```
//! use oxigraph::model::{GraphNameRef, NamedNode, Quad};
//! use reti::store::frozen::FrozenBuilder;
//! use std::sync::Arc;
//!
//! let n = |s: &str| NamedNode::new(format!("http://example.org/{s}")).unwrap();
//! let mut builder = FrozenBuilder::default();
//! // the same triple stated by two sources
//! builder.insert(&Quad::new(n("rome"), n("in"), n("unesco"), n("source-a")))?;
//! builder.insert(&Quad::new(n("rome"), n("in"), n("unesco"), n("source-b")))?;
//! let store = Arc::new(builder.finish()?);
//! assert_eq!(store.quads_for_pattern(None, None, None, None).count(), 2);
//! let merged = Some(GraphNameRef::DefaultGraph);
//! assert_eq!(store.quads_for_pattern(None, None, None, merged).count(), 1);
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    BlankNodeRef, GraphName, GraphNameRef, LiteralRef, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
use oxigraph::store::StorageError;
use spareval::{InternalQuad, QueryableDataset};
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::Arc;

/// A quad as term ids, in the order subject, predicate, object, graph (in an order's entries,
/// in that order's).
pub(super) type Ids = [u32; 4];

/// Positions in [`Ids`].
const S: usize = 0;
const P: usize = 1;
const O: usize = 2;
const G: usize = 3;

/// The six sorted orders; each names which component of a quad is stored at each place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    Spog = 0,
    Posg,
    Ospg,
    Gspo,
    Gpos,
    Gosp,
}

impl Order {
    /// Which component of the quad is at each place of an entry.
    fn places(self) -> [usize; 4] {
        match self {
            Order::Spog => [S, P, O, G],
            Order::Posg => [P, O, S, G],
            Order::Ospg => [O, S, P, G],
            Order::Gspo => [G, S, P, O],
            Order::Gpos => [G, P, O, S],
            Order::Gosp => [G, O, S, P],
        }
    }

    fn entry(self, quad: &Ids) -> Ids {
        self.places().map(|c| quad[c])
    }

    fn quad(self, entry: &Ids) -> Ids {
        let mut quad = [0; 4];
        for (place, component) in self.places().into_iter().enumerate() {
            quad[component] = entry[place];
        }
        quad
    }

    /// The order in which the bound components of a pattern are a prefix of each entry, that
    /// prefix and its length. `g` is bound for one named graph; otherwise the graph comes last.
    fn for_pattern(
        s: Option<u32>,
        p: Option<u32>,
        o: Option<u32>,
        g: Option<u32>,
    ) -> (Self, Ids, usize) {
        let (order, places) = match (g, s, p, o) {
            (Some(_), None, Some(_), Some(_)) => (Order::Gpos, [g, p, o, None]),
            (Some(_), Some(_), None, Some(_)) => (Order::Gosp, [g, o, s, None]),
            (Some(_), None, Some(_), None) => (Order::Gpos, [g, p, None, None]),
            (Some(_), None, None, Some(_)) => (Order::Gosp, [g, o, None, None]),
            (Some(_), _, _, _) => (Order::Gspo, [g, s, p, o]),
            (None, None, Some(_), _) => (Order::Posg, [p, o, None, None]),
            (None, Some(_), None, Some(_)) | (None, None, None, Some(_)) => {
                (Order::Ospg, [o, s, None, None])
            }
            (None, _, _, _) => (Order::Spog, [s, p, o, None]),
        };
        // the bound components, up to the first unbound one
        let len = places.iter().take_while(|c| c.is_some()).count();
        (order, places.map(|c| c.unwrap_or(0)), len)
    }
}

/// A term's hash, 32 bits, kept beside its id in the dictionary's table.
fn hash(term: TermRef<'_>) -> u32 {
    // the low half of a 64-bit hash
    foldhash::quality::FixedState::with_seed(0x7e7a_0001).hash_one(term) as u32
}

/// The 64 bits the table places an entry by, made from the 32 kept: the table takes its
/// position from the top bits, which every bit of the hash moves.
fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Each distinct term once, numbered in the order first seen.
#[derive(Default)]
struct Dictionary {
    /// The terms, indexed by id.
    terms: Texts,
    /// Each term's hash and id: the terms themselves are held once, in `terms`. With the hash
    /// kept here, growing the table never reads a term again (at a million memberships, reading
    /// each term back from all over memory at each doubling took a fifth of the build), and a
    /// lookup reads a term only when its hash matches.
    ids: Slots,
}

/// Terms one after the other.
///
/// Their texts are kept in one string, each found by a [`Span`] of 16 bytes: an `oxrdf`
/// [`Term`] is 56 bytes and its text a separate allocation, which at a million memberships
/// (4.3 million terms) was 4.3 million calls to the allocator and a tenth of the build's peak
/// memory (215 MB). A term is read back borrowed ([`Texts::get`]).
#[derive(Default)]
struct Texts {
    /// The texts of the terms, each a [`Span`] of it: a typed literal's datatype IRI or a
    /// language-tagged one's tag is written just before its value.
    text: String,
    /// Where each term is.
    spans: Vec<Span>,
    /// Terms of another kind than IRI, blank node and literal (a triple term), whole: their
    /// span holds their index here.
    others: Vec<Term>,
}

/// An open-addressed table of terms' hashes and ids, 8 bytes a slot, probed linearly.
///
/// Hash and id share a slot, so a probe of a table larger than the processor's caches misses
/// once: `hashbrown` keeps its tags apart from its entries, and a lookup there missed on the
/// tags, then again on the entry (at a million memberships, three quarters of the time spent
/// in the dictionary's own code).
struct Slots {
    /// `hash << 32 | id`, or [`Slots::EMPTY`]; a power of two of them.
    slots: Vec<u64>,
    /// Slots taken.
    len: usize,
}

impl Default for Slots {
    fn default() -> Self {
        Self {
            slots: vec![Self::EMPTY; Self::FIRST],
            len: 0,
        }
    }
}

impl Slots {
    /// A free slot: no term's id is `u32::MAX`.
    const EMPTY: u64 = u64::MAX;
    const FIRST: usize = 1 << 10;

    /// Where a hash's probe starts: the top bits of [`spread`], which all of the hash moves.
    fn home(&self, h: u32) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (spread(h) >> (64 - bits)) as usize
    }

    /// The id of the term whose hash is `h` and for which `is` says yes, or else the free slot
    /// where it goes.
    fn find(&self, h: u32, mut is: impl FnMut(u32) -> bool) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut at = self.home(h);
        loop {
            let slot = self.slots[at];
            if slot == Self::EMPTY {
                return Err(at);
            }
            if (slot >> 32) as u32 == h && is(slot as u32) {
                return Ok(slot as u32);
            }
            at = (at + 1) & mask;
        }
    }

    /// Puts a term not in the table yet in the free slot `at` that [`Slots::find`] gave.
    fn insert(&mut self, at: usize, h: u32, id: u32) {
        self.slots[at] = u64::from(h) << 32 | u64::from(id);
        self.len += 1;
        // at most three quarters full, so that a probe ends soon
        if self.len * 4 > self.slots.len() * 3 {
            let grown = vec![Self::EMPTY; self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, grown);
            for slot in old.into_iter().filter(|&s| s != Self::EMPTY) {
                if let Err(at) = self.find((slot >> 32) as u32, |_| false) {
                    self.slots[at] = slot;
                }
            }
        }
    }
}

/// Where one term is in [`Texts::text`], and of which kind.
#[derive(Clone, Copy)]
struct Span {
    start: u64,
    /// The length of the text, datatype or language tag included.
    len: u32,
    /// The kind ([`Span::KIND_BITS`] at the top) and the length of the datatype or language
    /// tag at the start of the text.
    head: u32,
}

impl Span {
    const KIND_BITS: u32 = 3;
    const PREFIX: u32 = u32::MAX >> Self::KIND_BITS;
    const IRI: u32 = 0;
    const BLANK: u32 = 1;
    const STRING: u32 = 2;
    const TYPED: u32 = 3;
    const TAGGED: u32 = 4;
    const OTHER: u32 = 5;

    fn kind(self) -> u32 {
        self.head >> (32 - Self::KIND_BITS)
    }

    fn prefix(self) -> usize {
        (self.head & Self::PREFIX) as usize
    }
}

impl Texts {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.others.clear();
    }

    /// The term at `index`, borrowed.
    fn get(&self, index: u32) -> Option<TermRef<'_>> {
        let span = *self.spans.get(index as usize)?;
        if span.kind() == Span::OTHER {
            return self
                .others
                .get(usize::try_from(span.start).ok()?)
                .map(Term::as_ref);
        }
        let start = usize::try_from(span.start).ok()?;
        let text = self.text.get(start..start + span.len as usize)?;
        let (prefix, value) = text.split_at_checked(span.prefix())?;
        Self::term(span.kind(), prefix, value)
    }

    /// The term of a kind, from its datatype IRI or language tag and its value.
    fn term<'a>(kind: u32, prefix: &'a str, value: &'a str) -> Option<TermRef<'a>> {
        Some(match kind {
            Span::IRI => NamedNodeRef::new_unchecked(value).into(),
            Span::BLANK => BlankNodeRef::new_unchecked(value).into(),
            Span::STRING => LiteralRef::new_simple_literal(value).into(),
            Span::TYPED => {
                LiteralRef::new_typed_literal(value, NamedNodeRef::new_unchecked(prefix)).into()
            }
            Span::TAGGED => LiteralRef::new_language_tagged_literal_unchecked(value, prefix).into(),
            _ => return None,
        })
    }

    /// Adds a copy of the term at the end.
    fn push(&mut self, term: TermRef<'_>) -> Result<(), StorageError> {
        let parts = match term {
            TermRef::NamedNode(n) => Some((Span::IRI, "", n.as_str())),
            TermRef::BlankNode(b) => Some((Span::BLANK, "", b.as_str())),
            TermRef::Literal(l) => Some(match l.language() {
                Some(tag) => (Span::TAGGED, tag, l.value()),
                None if l.datatype() == xsd::STRING => (Span::STRING, "", l.value()),
                None => (Span::TYPED, l.datatype().as_str(), l.value()),
            }),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        // A term the parts do not give back whole (a triple term, or with RDF 1.2 a literal
        // with a base direction, which other crates' features may turn on) is kept whole.
        let Some((kind, prefix, value)) =
            parts.filter(|&(kind, prefix, value)| Self::term(kind, prefix, value) == Some(term))
        else {
            let index = self.others.len() as u64;
            self.others.push(term.into_owned());
            self.spans.push(Span {
                start: index,
                len: 0,
                head: Span::OTHER << (32 - Span::KIND_BITS),
            });
            return Ok(());
        };
        let too_long = || {
            StorageError::Other(
                "a term of more than 4 GiB, or a datatype IRI or language tag of more than 512 MiB"
                    .into(),
            )
        };
        let head = u32::try_from(prefix.len())
            .ok()
            .filter(|&n| n <= Span::PREFIX)
            .ok_or_else(too_long)?;
        let len = u32::try_from(prefix.len() + value.len()).map_err(|_| too_long())?;
        let start = self.text.len() as u64;
        self.text.push_str(prefix);
        self.text.push_str(value);
        self.spans.push(Span {
            start,
            len,
            head: head | (kind << (32 - Span::KIND_BITS)),
        });
        Ok(())
    }
}

impl Dictionary {
    fn len(&self) -> usize {
        self.terms.len()
    }

    /// The term numbered `id`, borrowed.
    fn get(&self, id: u32) -> Option<TermRef<'_>> {
        self.terms.get(id)
    }

    fn id(&self, term: TermRef<'_>) -> Option<u32> {
        self.find(hash(term), term).ok()
    }

    /// The id of `term`, whose hash is `h`, if it is held; else the free slot for it.
    fn find(&self, h: u32, term: TermRef<'_>) -> Result<u32, usize> {
        self.ids.find(h, |id| self.get(id) == Some(term))
    }

    /// The term's id, given it a new one (and a copy of it kept) if it is new.
    fn intern(&mut self, term: TermRef<'_>) -> Result<u32, StorageError> {
        self.intern_hashed(hash(term), term)
    }

    /// The id of `term`, whose hash is `h`, given it a new one if it is new.
    fn intern_hashed(&mut self, h: u32, term: TermRef<'_>) -> Result<u32, StorageError> {
        let at = match self.find(h, term) {
            Ok(id) => return Ok(id),
            Err(at) => at,
        };
        // at most u32::MAX - 1 terms, so that the number of terms is itself an id: a view's
        // made-up terms are numbered from there
        let id = u32::try_from(self.terms.len())
            .ok()
            .filter(|&id| id < u32::MAX)
            .ok_or_else(|| StorageError::Other("more than 4 294 967 294 distinct terms".into()))?;
        self.terms.push(term)?;
        self.ids.insert(at, h, id);
        Ok(id)
    }

    /// Reads, for each hash, what looking its term up will read: the slot its probe starts
    /// at, then the span and the text of each held term with that hash. Each pass asks for
    /// all its reads before it needs any, so the processor waits for the misses of a
    /// dictionary larger than its caches together, not one after another.
    fn warm(&self, hashes: &[u32]) {
        let mut read = 0u64;
        for &h in hashes {
            read ^= self.ids.slots.get(self.ids.home(h)).copied().unwrap_or(0);
        }
        let spans = &self.terms.spans;
        for &h in hashes {
            let _ = self.ids.find(h, |id| {
                read ^= spans.get(id as usize).map_or(0, |s| s.start);
                false
            });
        }
        let text = self.terms.text.as_bytes();
        for &h in hashes {
            let _ = self.ids.find(h, |id| {
                let first = spans.get(id as usize).and_then(|s| {
                    let start = usize::try_from(s.start).ok()?;
                    text.get(start).copied()
                });
                read ^= u64::from(first.unwrap_or(0));
                false
            });
        }
        std::hint::black_box(read);
    }
}

/// Where a term's text lives in memory, for [`Recent`]; 0 for a triple term.
fn address(term: TermRef<'_>) -> usize {
    match term {
        TermRef::NamedNode(n) => n.as_str().as_ptr() as usize,
        TermRef::BlankNode(b) => b.as_str().as_ptr() as usize,
        TermRef::Literal(l) => l.value().as_ptr() as usize,
        #[allow(unreachable_patterns)]
        _ => 0,
    }
}

/// A term of a quad given to the builder: numbered, or staged in the [`Batch`] until the
/// batch is looked up.
#[derive(Clone, Copy)]
enum Known {
    Id(u32),
    Staged(u32),
}

/// The terms handed over lately, by the address of the text they were read from.
///
/// A build hands over the same subject, graph and predicate (a constant) quad after quad, from
/// the same place in memory. Comparing the text once is cheaper than hashing it and probing a
/// table that, at a million memberships, no longer fits in the processor's caches. A slot only
/// suggests a term: it is always compared with the one held (an address may since hold another
/// text).
struct Recent(Box<[(usize, Known)]>);

impl Recent {
    const SLOTS: usize = 1 << 10;

    fn new() -> Self {
        Self(vec![(0, Known::Id(0)); Self::SLOTS].into_boxed_slice())
    }

    fn slot(address: usize) -> usize {
        // texts are at least 8-byte aligned; mix in higher bits so nearby texts spread out
        ((address >> 3) ^ (address >> 13)) & (Self::SLOTS - 1)
    }

    /// The term's id if it was handed over lately, or its place in the batch, where it is
    /// staged if it is not there yet.
    fn known(
        &mut self,
        dictionary: &Dictionary,
        batch: &mut Batch,
        term: TermRef<'_>,
    ) -> Result<Known, StorageError> {
        let address = address(term);
        let slot = &mut self.0[Self::slot(address)];
        if address != 0 && slot.0 == address {
            let held = match slot.1 {
                Known::Id(id) => dictionary.get(id),
                Known::Staged(index) => batch.terms.get(index),
            };
            if held == Some(term) {
                return Ok(slot.1);
            }
        }
        let known = Known::Staged(batch.stage(term)?);
        *slot = (address, known);
        Ok(known)
    }

    /// Once a batch is numbered, its staged terms' ids in place of their places in it.
    fn numbered(&mut self, ids: &[u32]) {
        for slot in self.0.iter_mut() {
            if let Known::Staged(index) = slot.1 {
                *slot = match ids.get(index as usize) {
                    Some(&id) => (slot.0, Known::Id(id)),
                    None => (0, Known::Id(0)),
                };
            }
        }
    }
}

/// Terms not looked up yet, and the quads that name them.
///
/// Looking a term up in a dictionary larger than the processor's caches is a wait for memory;
/// looked up a batch at a time ([`Dictionary::warm`]), the waits overlap.
#[derive(Default)]
struct Batch {
    terms: Texts,
    hashes: Vec<u32>,
    quads: Vec<[Known; 4]>,
    /// The staged terms' ids, once numbered.
    ids: Vec<u32>,
}

impl Batch {
    /// Terms staged before the batch is looked up.
    const TERMS: usize = 128;

    /// Keeps a copy of the term, and says where.
    fn stage(&mut self, term: TermRef<'_>) -> Result<u32, StorageError> {
        // at most `TERMS` plus the three other terms of the last quad
        let index = self.hashes.len() as u32;
        self.terms.push(term)?;
        self.hashes.push(hash(term));
        Ok(index)
    }
}

/// Gathers a build's quads, then sorts them into a [`Frozen`] store.
///
/// Looking the terms up takes one core, a batch of them at a time ([`Batch`]). A large build
/// hands its quads, a chunk at a time, to a thread of its own that sorts each chunk into the
/// six orders on the other core meanwhile; once all are in, each order is a series of sorted
/// runs, which a merge puts together in a few passes instead of a sort of the whole.
pub struct FrozenBuilder {
    dictionary: Dictionary,
    recent: Recent,
    batch: Batch,
    /// The quads not yet handed to the sorting thread.
    quads: Vec<Ids>,
    /// How many quads make a chunk.
    chunk: usize,
    /// How many quads the build expects, if it knows.
    expected: usize,
    /// Started when the first chunk is full.
    sorter: Option<Sorter>,
}

impl Default for FrozenBuilder {
    fn default() -> Self {
        Self::with_chunk(FrozenBuilder::CHUNK)
    }
}

/// The thread sorting the chunks, and where they are sent.
struct Sorter {
    chunks: std::sync::mpsc::SyncSender<Vec<Ids>>,
    /// Each order's sorted runs, one after the other.
    runs: std::thread::JoinHandle<[Vec<Ids>; 6]>,
}

impl Sorter {
    /// Starts the thread, its vectors sized for `expected` quads: grown by doubling instead,
    /// the six left their outgrown copies behind (at a million memberships, 600 MB more).
    fn start(expected: usize) -> Self {
        let (chunks, received) = std::sync::mpsc::sync_channel::<Vec<Ids>>(1);
        let runs = std::thread::spawn(move || {
            let mut runs: [Vec<Ids>; 6] = std::array::from_fn(|_| Vec::with_capacity(expected));
            for chunk in received {
                for (runs, sorted) in runs.iter_mut().zip(six_orders(chunk, false)) {
                    runs.extend_from_slice(&sorted);
                }
            }
            runs
        });
        Self { chunks, runs }
    }
}

/// The six orders of `quads`, each sorted, a quad stated twice kept once; on two cores when
/// `both_cores`. The quads become SPOG, sorted in place, and POSG starts as a copy; each of
/// the other four is made from one of those two once it is sorted, so no more than the six
/// orders are ever held. A quad stated twice is next to itself in every order, and dropped
/// there.
fn six_orders(quads: Vec<Ids>, both_cores: bool) -> [Vec<Ids>; 6] {
    let mut spog = quads;
    let posg: Vec<Ids> = spog.iter().map(|q| Order::Posg.entry(q)).collect();
    let sort = |entries: &mut Vec<Ids>| {
        entries.sort_unstable();
        entries.dedup();
    };
    let from = |sorted: &[Ids], as_in: Order, order: Order| -> Vec<Ids> {
        let mut entries: Vec<Ids> = sorted.iter().map(|e| order.entry(&as_in.quad(e))).collect();
        sort(&mut entries);
        entries
    };
    let by_predicate = |mut posg: Vec<Ids>| {
        sort(&mut posg);
        let gspo = from(&posg, Order::Posg, Order::Gspo);
        let gpos = from(&posg, Order::Posg, Order::Gpos);
        (posg, gspo, gpos)
    };
    let by_subject = |spog: &mut Vec<Ids>| {
        sort(spog);
        let ospg = from(spog, Order::Spog, Order::Ospg);
        let gosp = from(spog, Order::Spog, Order::Gosp);
        (ospg, gosp)
    };
    let ((posg, gspo, gpos), (ospg, gosp)) = if both_cores {
        std::thread::scope(|scope| {
            let other = scope.spawn(move || by_predicate(posg));
            let mine = by_subject(&mut spog);
            // a panic while sorting is a bug, not bad input
            let other = other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (other, mine)
        })
    } else {
        let mine = by_subject(&mut spog);
        (by_predicate(posg), mine)
    };
    // indexed by `Order`
    [spog, posg, ospg, gspo, gpos, gosp]
}

/// Merges each order's sorted runs, three orders on each core: the standard library's stable
/// sort finds the runs and merges them in a few passes.
fn merge_runs(runs: [Vec<Ids>; 6]) -> [Vec<Ids>; 6] {
    let merge = |mut entries: Vec<Ids>| {
        entries.sort();
        entries.dedup();
        entries
    };
    let [a, b, c, d, e, f] = runs;
    let ([d, e, f], [a, b, c]) = std::thread::scope(|scope| {
        let other = scope.spawn(move || [d, e, f].map(merge));
        let mine = [a, b, c].map(merge);
        // a panic while sorting is a bug, not bad input
        let other = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (other, mine)
    });
    [a, b, c, d, e, f]
}

impl FrozenBuilder {
    /// Quads in a chunk (4 MiB of ids), below which a build sorts everything at the end, on
    /// both cores, as no chunk was full. Chunks of 1 Mi quads left most of a 100 k build's
    /// sorting (1.2 M quads, one full chunk) to the other core after the last quad: 0.92-0.95 s
    /// against 0.69-0.77 s for `reti check`; at 1 M the time is the same and the peak 100 MB
    /// lower. The smallest builds (10 k memberships, 122 k quads) are not chunked.
    const CHUNK: usize = 1 << 18;

    /// A builder handing its quads to the sorting thread `chunk` at a time (tests make chunks
    /// small, to sort a few quads the way a million are sorted).
    fn with_chunk(chunk: usize) -> Self {
        Self {
            dictionary: Dictionary::default(),
            recent: Recent::new(),
            batch: Batch::default(),
            quads: Vec::new(),
            chunk: chunk.max(1),
            expected: 0,
            sorter: None,
        }
    }

    /// A builder for about `quads` quads: a guess too small costs time and memory, not
    /// correctness.
    pub fn with_capacity(quads: usize) -> Self {
        Self {
            expected: quads,
            ..Self::default()
        }
    }

    /// Adds a quad of a named graph (a quad stated twice is kept once). The default graph is
    /// the merge of the named graphs, so a quad in it is refused. The quad is borrowed: a term
    /// not handed over lately is copied into the batch waiting to be looked up, and kept only
    /// if the store does not hold it yet.
    pub fn insert<'a>(&mut self, quad: impl Into<QuadRef<'a>>) -> Result<(), StorageError> {
        let QuadRef {
            subject,
            predicate,
            object,
            graph_name,
        } = quad.into();
        let graph = match graph_name {
            GraphNameRef::NamedNode(g) => TermRef::NamedNode(g),
            GraphNameRef::BlankNode(g) => TermRef::BlankNode(g),
            GraphNameRef::DefaultGraph => {
                return Err(StorageError::Other(
                    "the in-memory store holds named graphs only: its default graph is their merge"
                        .into(),
                ));
            }
        };
        let Self {
            dictionary,
            recent,
            batch,
            ..
        } = self;
        let quad = [
            recent.known(dictionary, batch, subject.into())?,
            recent.known(dictionary, batch, predicate.into())?,
            recent.known(dictionary, batch, object)?,
            recent.known(dictionary, batch, graph)?,
        ];
        batch.quads.push(quad);
        if batch.hashes.len() >= Batch::TERMS {
            self.number()?;
        }
        Ok(())
    }

    /// Looks the batch's terms up, in the order they were staged (new terms are numbered in the
    /// order first seen), and moves its quads on.
    fn number(&mut self) -> Result<(), StorageError> {
        let Self {
            dictionary,
            recent,
            batch:
                Batch {
                    terms,
                    hashes,
                    quads: staged,
                    ids,
                },
            quads,
            chunk,
            expected,
            sorter,
        } = self;
        dictionary.warm(hashes);
        ids.clear();
        for (index, &h) in hashes.iter().enumerate() {
            let term = terms.get(index as u32).ok_or_else(lost)?;
            ids.push(dictionary.intern_hashed(h, term)?);
        }
        recent.numbered(ids);
        for quad in staged.drain(..) {
            let mut numbered = [0; 4];
            for (id, known) in numbered.iter_mut().zip(quad) {
                *id = match known {
                    Known::Id(id) => id,
                    Known::Staged(index) => *ids.get(index as usize).ok_or_else(lost)?,
                };
            }
            quads.push(numbered);
            if quads.len() >= *chunk {
                let full = std::mem::replace(quads, Vec::with_capacity(*chunk));
                let sorter = sorter.get_or_insert_with(|| Sorter::start(*expected));
                // if the thread is gone, it panicked: `finish` raises that panic
                let _ = sorter.chunks.send(full);
            }
        }
        terms.clear();
        hashes.clear();
        Ok(())
    }

    /// Sorts the quads into the six orders.
    pub fn finish(mut self) -> Result<Frozen, StorageError> {
        self.number()?;
        let Self {
            dictionary,
            quads,
            sorter,
            ..
        } = self;
        let orders = match sorter {
            None => six_orders(quads, true),
            Some(Sorter { chunks, runs }) => {
                let _ = chunks.send(quads);
                drop(chunks);
                // a panic while sorting is a bug, not bad input
                let runs = runs.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                merge_runs(runs)
            }
        };
        let orders = orders.map(Vec::into_boxed_slice);
        // GSPO begins with the graph: each named graph is a run there, in id order
        let graphs = orders[Order::Gspo as usize]
            .chunk_by(|a, b| a[0] == b[0])
            .filter_map(|run| Some(run.first()?[0]))
            .collect();
        Ok(Frozen {
            dictionary,
            orders,
            graphs,
        })
    }
}

/// A staged term that was not numbered: a bug, never bad input.
fn lost() -> StorageError {
    StorageError::Other("a term of the build was not numbered".into())
}

/// The store: a dictionary of terms and the quads of the named graphs in six sorted orders.
pub struct Frozen {
    dictionary: Dictionary,
    /// Indexed by [`Order`].
    orders: [Box<[Ids]>; 6],
    /// The named graphs' ids, sorted.
    graphs: Vec<u32>,
}

impl Frozen {
    fn order(&self, order: Order) -> &[Ids] {
        &self.orders[order as usize]
    }

    pub(crate) fn term(&self, id: u32) -> Option<TermRef<'_>> {
        self.dictionary.get(id)
    }

    /// The id of a term the store holds.
    pub(super) fn id(&self, term: TermRef<'_>) -> Option<u32> {
        self.dictionary.id(term)
    }

    /// The entries of `order` that begin with `prefix`, split into runs that agree on their
    /// first `k` places: the distinct values of those places, in order, with their quads.
    /// Counting by runs of sorted entries needs no set of what was seen.
    pub(crate) fn runs(
        &self,
        order: Order,
        prefix: &[u32],
        k: usize,
    ) -> impl Iterator<Item = &[Ids]> {
        let entries = self.order(order);
        let n = prefix.len();
        let start = entries.partition_point(|e| e[..n] < *prefix);
        let end = start + entries[start..].partition_point(|e| e[..n] == *prefix);
        entries[start..end].chunk_by(move |a, b| a[..k] == b[..k])
    }

    /// The quads matching a pattern, as ids. `graph`: `None` for every named graph,
    /// `Some(None)` for the default graph (each triple once), `Some(Some(g))` for graph `g`.
    fn matching(
        self: &Arc<Self>,
        s: Option<u32>,
        p: Option<u32>,
        o: Option<u32>,
        graph: Option<Option<u32>>,
    ) -> Matching {
        let g = graph.flatten();
        let (order, prefix, k) = Order::for_pattern(s, p, o, g);
        let entries = self.order(order);
        let start = entries.partition_point(|e| e[..k] < prefix[..k]);
        let end = start + entries[start..].partition_point(|e| e[..k] == prefix[..k]);
        Matching {
            store: Arc::clone(self),
            order,
            next: start,
            end,
            merged: graph == Some(None),
            last: None,
        }
    }

    /// The quads matching a pattern, like Oxigraph's `Store::quads_for_pattern` except that
    /// `graph_name: None` means every named graph (the default graph is their merge), and that
    /// the default graph gives each triple once.
    pub fn quads_for_pattern(
        self: &Arc<Self>,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph_name: Option<GraphNameRef<'_>>,
    ) -> impl Iterator<Item = Quad> + 'static {
        let id = |term: Option<TermRef<'_>>| -> Result<Option<u32>, ()> {
            match term {
                None => Ok(None),
                Some(t) => self.dictionary.id(t).map(Some).ok_or(()),
            }
        };
        let graph = match graph_name {
            None => Ok(None),
            Some(GraphNameRef::DefaultGraph) => Ok(Some(None)),
            Some(GraphNameRef::NamedNode(g)) => id(Some(g.into())).map(Some),
            Some(GraphNameRef::BlankNode(g)) => id(Some(g.into())).map(Some),
        };
        let ids = (|| {
            Ok::<_, ()>((
                id(subject.map(Into::into))?,
                id(predicate.map(Into::into))?,
                id(object)?,
                graph?,
            ))
        })();
        // a term the store does not hold matches nothing
        let matching = ids.ok().map(|(s, p, o, g)| self.matching(s, p, o, g));
        let store = Arc::clone(self);
        matching
            .into_iter()
            .flatten()
            .filter_map(move |(quad, merged)| store.decode(&quad, merged))
    }

    fn decode(&self, quad: &Ids, merged: bool) -> Option<Quad> {
        let subject = match self.term(quad[S])? {
            TermRef::NamedNode(n) => NamedOrBlankNode::NamedNode(n.into_owned()),
            TermRef::BlankNode(b) => NamedOrBlankNode::BlankNode(b.into_owned()),
            _ => return None,
        };
        let TermRef::NamedNode(predicate) = self.term(quad[P])? else {
            return None;
        };
        let object = self.term(quad[O])?.into_owned();
        let graph_name = if merged {
            GraphName::DefaultGraph
        } else {
            match self.term(quad[G])? {
                TermRef::NamedNode(n) => GraphName::NamedNode(n.into_owned()),
                TermRef::BlankNode(b) => GraphName::BlankNode(b.into_owned()),
                _ => return None,
            }
        };
        Some(Quad::new(
            subject,
            predicate.into_owned(),
            object,
            graph_name,
        ))
    }

    /// The named graphs.
    pub(crate) fn named_graphs(&self) -> impl Iterator<Item = NamedOrBlankNode> + '_ {
        self.graphs.iter().filter_map(|&g| match self.term(g)? {
            TermRef::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.into_owned())),
            TermRef::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.into_owned())),
            _ => None,
        })
    }

    /// The number of quads in the named graphs.
    pub fn len(&self) -> usize {
        self.order(Order::Spog).len()
    }

    /// Whether the store holds no quad.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The store as a dataset Oxigraph's SPARQL evaluator can query.
    pub fn view(self: &Arc<Self>) -> FrozenView {
        FrozenView {
            store: Arc::clone(self),
            extra: RefCell::default(),
        }
    }
}

/// The quads of one pattern: a range of one order, with each triple once when `merged`.
struct Matching {
    store: Arc<Frozen>,
    order: Order,
    next: usize,
    end: usize,
    merged: bool,
    last: Option<[u32; 3]>,
}

impl Iterator for Matching {
    /// The quad, in subject, predicate, object, graph order, and whether it stands for its
    /// triple in the default graph.
    type Item = (Ids, bool);

    fn next(&mut self) -> Option<(Ids, bool)> {
        let entries = self.store.order(self.order);
        while self.next < self.end {
            let quad = self.order.quad(&entries[self.next]);
            self.next += 1;
            if self.merged {
                let triple = [quad[S], quad[P], quad[O]];
                if self.last == Some(triple) {
                    continue;
                }
                self.last = Some(triple);
            }
            return Some((quad, self.merged));
        }
        None
    }
}

/// One query's view of a [`Frozen`] store. Terms a query makes up (constants the store does
/// not hold, values computed by expressions) get ids after the store's, for this query only.
pub struct FrozenView {
    store: Arc<Frozen>,
    /// The made-up terms, each once: the one numbered `i` here has the id `stored() + i`.
    extra: RefCell<Dictionary>,
}

impl FrozenView {
    fn stored(&self) -> u32 {
        // a store has fewer than u32::MAX terms (checked while interning), so every stored id
        // is below this and it is itself free
        u32::try_from(self.store.dictionary.len()).unwrap_or(u32::MAX)
    }
}

impl QueryableDataset<'static> for FrozenView {
    type InternalTerm = u32;
    type Error = StorageError;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&u32>,
        predicate: Option<&u32>,
        object: Option<&u32>,
        graph_name: Option<Option<&u32>>,
    ) -> impl Iterator<Item = Result<InternalQuad<u32>, StorageError>> + use<> {
        let stored = self.stored();
        let made_up = [subject, predicate, object, graph_name.flatten()]
            .into_iter()
            .flatten()
            .any(|&id| id >= stored);
        let matching = (!made_up).then(|| {
            self.store.matching(
                subject.copied(),
                predicate.copied(),
                object.copied(),
                graph_name.map(|g| g.copied()),
            )
        });
        matching.into_iter().flatten().map(|(quad, merged)| {
            Ok(InternalQuad {
                subject: quad[S],
                predicate: quad[P],
                object: quad[O],
                graph_name: (!merged).then_some(quad[G]),
            })
        })
    }

    fn internal_named_graphs(&self) -> impl Iterator<Item = Result<u32, StorageError>> + use<> {
        let store = Arc::clone(&self.store);
        (0..store.graphs.len()).map(move |i| Ok(store.graphs[i]))
    }

    fn contains_internal_graph_name(&self, graph_name: &u32) -> Result<bool, StorageError> {
        Ok(self.store.graphs.binary_search(graph_name).is_ok())
    }

    fn internalize_term(&self, term: Term) -> Result<u32, StorageError> {
        if let Some(id) = self.store.dictionary.id(term.as_ref()) {
            return Ok(id);
        }
        let made_up = self.extra.borrow_mut().intern(term.as_ref())?;
        self.stored()
            .checked_add(made_up)
            .ok_or_else(|| StorageError::Other("too many terms made by one query".into()))
    }

    fn externalize_term(&self, id: u32) -> Result<Term, StorageError> {
        if let Some(term) = self.store.term(id) {
            return Ok(term.into_owned());
        }
        self.extra
            .borrow()
            .get(id - self.stored())
            .map(TermRef::into_owned)
            .ok_or_else(|| StorageError::Other(format!("no term has the id {id}").into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode};
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    /// The named node `iri`.
    fn node(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://example.org/{iri}"))
    }

    fn quads() -> Vec<Quad> {
        let mut quads = Vec::new();
        for (i, city) in ["rome", "turin", "milan", "bari"].into_iter().enumerate() {
            for source in ["a", "b"] {
                if source == "b" && city == "bari" {
                    continue;
                }
                let g = node(&format!("source-{source}"));
                quads.push(Quad::new(
                    node(city),
                    node("member"),
                    node("unesco"),
                    g.clone(),
                ));
                quads.push(Quad::new(
                    node(city),
                    node("since"),
                    Literal::from(2000 + i as i64 + usize::from(source == "b") as i64),
                    g.clone(),
                ));
                quads.push(Quad::new(
                    node(city),
                    node("label"),
                    Literal::new_simple_literal(city),
                    g,
                ));
            }
        }
        quads.push(Quad::new(
            node("unesco"),
            node("label"),
            Literal::new_language_tagged_literal_unchecked("UNESCO", "en"),
            node("source-a"),
        ));
        quads
    }

    fn frozen() -> Arc<Frozen> {
        let mut builder = FrozenBuilder::default();
        for q in quads() {
            builder.insert(&q).expect("named graph");
            builder.insert(&q).expect("named graph");
        }
        Arc::new(builder.finish().expect("few terms"))
    }

    /// Oxigraph's store with the same named graphs and, as reti loaded it, their merge as the
    /// default graph.
    fn oxigraph() -> Store {
        let store = Store::new().expect("store");
        for q in quads() {
            store
                .insert(&Quad::new(
                    q.subject.clone(),
                    q.predicate.clone(),
                    q.object.clone(),
                    GraphName::DefaultGraph,
                ))
                .expect("insert");
            store.insert(&q).expect("insert");
        }
        store
    }

    fn sorted(quads: impl Iterator<Item = Quad>) -> Vec<String> {
        let mut out: Vec<String> = quads.map(|q| q.to_string()).collect();
        out.sort();
        out
    }

    #[test]
    fn every_pattern_matches_what_oxigraph_matches() {
        let frozen = frozen();
        let store = oxigraph();
        let subjects = [None, Some(node("rome")), Some(node("nowhere"))];
        let predicates = [None, Some(node("member")), Some(node("label"))];
        let objects: [Option<Term>; 4] = [
            None,
            Some(node("unesco").into()),
            Some(Literal::from(2001).into()),
            Some(Literal::new_simple_literal("rome").into()),
        ];
        let graphs = [
            None,
            Some(GraphName::DefaultGraph),
            Some(GraphName::NamedNode(node("source-a"))),
            Some(GraphName::NamedNode(node("source-b"))),
            Some(GraphName::NamedNode(node("rome"))),
        ];
        let mut patterns = 0;
        for s in &subjects {
            for p in &predicates {
                for o in &objects {
                    for g in &graphs {
                        let s = s.as_ref().map(|s| s.as_ref().into());
                        let p = p.as_ref().map(NamedNode::as_ref);
                        let o = o.as_ref().map(Term::as_ref);
                        let g = g.as_ref().map(GraphName::as_ref);
                        let expected = store
                            .quads_for_pattern(s, p, o, g)
                            .map(|q| q.expect("quad"))
                            // `None` is every named graph here
                            .filter(|q| g.is_some() || !q.graph_name.is_default_graph());
                        let got = frozen.quads_for_pattern(s, p, o, g);
                        assert_eq!(sorted(got), sorted(expected), "{s:?} {p:?} {o:?} {g:?}");
                        patterns += 1;
                    }
                }
            }
        }
        assert_eq!(patterns, 3 * 3 * 4 * 5);
    }

    fn answers(results: QueryResults<'_>) -> Vec<String> {
        let QueryResults::Solutions(solutions) = results else {
            panic!("not a SELECT");
        };
        let mut rows: Vec<String> = solutions
            .map(|s| {
                let s = s.expect("solution");
                s.iter()
                    .map(|(v, t)| format!("{v}={t}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        rows.sort();
        rows
    }

    #[test]
    fn queries_give_what_they_give_on_oxigraphs_store() {
        let frozen = frozen();
        let store = oxigraph();
        let queries = [
            // the default graph is the merge: each triple once
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <http://example.org/since> ?o } }",
            "SELECT ?g WHERE { GRAPH ?g { } }",
            "SELECT ?s WHERE { GRAPH <http://example.org/source-b> { ?s ?p ?o } }",
            "SELECT ?s ?y WHERE { ?s <http://example.org/since> ?y FILTER(?y > 2001) }",
            "SELECT ?s (MIN(?y) AS ?first) WHERE { ?s <http://example.org/since> ?y } GROUP BY ?s",
            "SELECT ?s ?next WHERE { ?s <http://example.org/since> ?y BIND(?y + 1 AS ?next) }",
            "SELECT ?s WHERE { ?s <http://example.org/label> \"rome\" }",
            "SELECT ?s WHERE { ?s <http://example.org/label> \"nowhere\" }",
            "SELECT ?x WHERE { VALUES ?x { <http://example.org/new> 7 } ?s ?p ?o FILTER(?s = <http://example.org/bari>) }",
            "SELECT ?s ?l WHERE { ?s <http://example.org/member> ?n OPTIONAL { ?n <http://example.org/label> ?l } }",
            "SELECT ?s ?g WHERE { ?s <http://example.org/member> ?n FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?n } FILTER(?g = <http://example.org/source-b>) } }",
            "SELECT ?s WHERE { GRAPH <http://example.org/nowhere> { ?s ?p ?o } }",
            "SELECT ?s FROM <http://example.org/source-b> WHERE { ?s <http://example.org/since> 2001 }",
        ];
        for query in queries {
            let on = |view: Option<FrozenView>| {
                let prepared = SparqlEvaluator::new().parse_query(query).expect("query");
                let results = match view {
                    Some(view) => prepared.on_queryable_dataset(view).execute(),
                    None => prepared.on_store(&store).execute(),
                };
                answers(results.expect("evaluated"))
            };
            let expected = on(None);
            assert_eq!(on(Some(frozen.view())), expected, "{query}");
        }
        // and the first is not empty, so the comparison means something
        assert_eq!(
            answers(
                SparqlEvaluator::new()
                    .parse_query(queries[1])
                    .expect("query")
                    .on_queryable_dataset(frozen.view())
                    .execute()
                    .expect("evaluated")
            ),
            ["?n=\"16\"^^<http://www.w3.org/2001/XMLSchema#integer>"]
        );
    }

    #[test]
    fn quads_are_stored_once_and_graphs_listed() {
        let frozen = frozen();
        assert_eq!(frozen.len(), quads().len());
        let graphs: Vec<String> = frozen.named_graphs().map(|g| g.to_string()).collect();
        let mut expected = vec![
            "<http://example.org/source-a>".to_owned(),
            "<http://example.org/source-b>".to_owned(),
        ];
        let mut sorted_graphs = graphs.clone();
        sorted_graphs.sort();
        expected.sort();
        assert_eq!(sorted_graphs, expected);
        assert!(frozen.id(node("rome").as_ref().into()).is_some());
        assert!(frozen.id(node("nowhere").as_ref().into()).is_none());
    }

    #[test]
    fn every_kind_of_term_is_read_back_as_it_was_given() {
        // The dictionary keeps a term as its text and a kind, a typed literal's datatype or a
        // tagged literal's language before its value: terms whose texts run together the same
        // way must stay apart, and each must come back equal to what was given.
        let terms: Vec<Term> = vec![
            NamedNode::new_unchecked("http://example.org/ab").into(),
            BlankNode::new_unchecked("ab").into(),
            BlankNode::default().into(),
            Literal::new_simple_literal("http://example.org/ab").into(),
            Literal::new_simple_literal("").into(),
            Literal::new_typed_literal("b", NamedNode::new_unchecked("http://example.org/a"))
                .into(),
            Literal::new_typed_literal("", NamedNode::new_unchecked("http://example.org/ab"))
                .into(),
            Literal::new_typed_literal("http://example.org/ab", xsd::ANY_URI).into(),
            Literal::new_language_tagged_literal_unchecked("ab", "en").into(),
            Literal::new_language_tagged_literal_unchecked("b", "en-a").into(),
            Literal::new_language_tagged_literal_unchecked("città", "it").into(),
            Literal::new_typed_literal("1999", xsd::G_YEAR).into(),
        ];
        let mut dictionary = Dictionary::default();
        let ids: Vec<u32> = terms
            .iter()
            .map(|t| dictionary.intern(t.as_ref()).expect("few terms"))
            .collect();
        assert_eq!(
            ids,
            (0..terms.len() as u32).collect::<Vec<_>>(),
            "all distinct"
        );
        for (term, &id) in terms.iter().zip(&ids) {
            assert_eq!(dictionary.get(id), Some(term.as_ref()));
            assert_eq!(dictionary.id(term.as_ref()), Some(id));
            assert_eq!(dictionary.intern(term.as_ref()).expect("held"), id);
        }
        assert_eq!(dictionary.len(), terms.len());
        assert_eq!(dictionary.get(terms.len() as u32), None);
    }

    /// With RDF 1.2 on (the `shacl` feature's dependencies turn it on), terms the dictionary's
    /// texts cannot hold, a literal with a base direction and a triple term, are kept whole.
    #[cfg(feature = "shacl")]
    #[test]
    fn rdf_1_2_terms_are_read_back_whole() {
        use oxigraph::model::{BaseDirection, Triple};
        let tagged = Literal::new_language_tagged_literal_unchecked("ab", "en");
        let directed = Literal::new_directional_language_tagged_literal_unchecked(
            "ab",
            "en",
            BaseDirection::Rtl,
        );
        let node = NamedNode::new_unchecked("http://example.org/ab");
        let triple = Triple::new(node.clone(), node.clone(), tagged.clone());
        let terms: Vec<Term> = vec![tagged.into(), directed.into(), triple.into(), node.into()];
        let mut dictionary = Dictionary::default();
        for (i, term) in terms.iter().enumerate() {
            assert_eq!(
                dictionary.intern(term.as_ref()).expect("few terms"),
                i as u32
            );
        }
        for (i, term) in terms.iter().enumerate() {
            assert_eq!(dictionary.get(i as u32), Some(term.as_ref()));
            assert_eq!(dictionary.id(term.as_ref()), Some(i as u32));
        }
    }

    #[test]
    fn a_dictionary_grown_many_times_finds_every_term() {
        // The table starts with a thousand slots and doubles at three quarters full.
        let mut dictionary = Dictionary::default();
        let terms: Vec<Term> = (0..20_000).map(|i| node(&format!("t{i}")).into()).collect();
        for (i, term) in terms.iter().enumerate() {
            assert_eq!(
                dictionary.intern(term.as_ref()).expect("few terms"),
                i as u32
            );
        }
        for (i, term) in terms.iter().enumerate() {
            assert_eq!(dictionary.id(term.as_ref()), Some(i as u32));
            assert_eq!(dictionary.get(i as u32), Some(term.as_ref()));
        }
        assert_eq!(dictionary.id(node("t20000").as_ref().into()), None);
        assert_eq!(dictionary.len(), terms.len());
    }

    #[test]
    fn slots_with_the_same_hash_are_told_apart() {
        // Terms whose 32-bit hashes are equal share a probe, across the table's growth; the
        // term itself (here its id) decides.
        let mut slots = Slots::default();
        for id in 0..2_000 {
            let at = slots.find(7, |_| false).expect_err("not held yet");
            slots.insert(at, 7, id);
        }
        for id in 0..2_000 {
            assert_eq!(slots.find(7, |held| held == id), Ok(id));
        }
        assert!(slots.find(7, |_| false).is_err());
        assert!(slots.find(8, |_| true).is_err());
    }

    #[test]
    fn terms_looked_up_a_batch_at_a_time_are_numbered_in_the_order_first_seen() {
        // Terms are staged and looked up a batch at a time: a term given again in the same
        // batch or a later one, from the same text in memory or from a copy, keeps its id, and
        // new terms are numbered in the order they were first given, as one at a time.
        let mut builder = FrozenBuilder::default();
        let shared: Vec<Term> = (0..50)
            .map(|i| node(&format!("shared{i}")).into())
            .collect();
        let mut first_seen: Vec<Term> = Vec::new();
        let mut given = std::collections::BTreeSet::new();
        for i in 0..3_000 {
            let object = if i % 3 == 0 {
                Literal::new_simple_literal(format!("value {}", i % 400)).into()
            } else {
                shared[i * 7 % shared.len()].clone()
            };
            // a fresh copy of the subject's text each time
            let quad = Quad::new(
                node(&format!("s{}", i % 700)),
                node(&format!("p{}", i % 3)),
                object,
                node(&format!("g{}", i % 2)),
            );
            builder.insert(&quad).expect("named graph");
            for term in [
                Term::from(quad.subject.clone()),
                quad.predicate.clone().into(),
                quad.object.clone(),
                Term::from(node(&format!("g{}", i % 2))),
            ] {
                if !first_seen.contains(&term) {
                    first_seen.push(term);
                }
            }
            given.insert(quad.to_string());
        }
        let store = Arc::new(builder.finish().expect("few terms"));
        assert_eq!(store.dictionary.len(), first_seen.len());
        for (id, term) in first_seen.iter().enumerate() {
            assert_eq!(store.term(id as u32), Some(term.as_ref()), "term {id}");
        }
        let stored: std::collections::BTreeSet<String> = store
            .quads_for_pattern(None, None, None, None)
            .map(|q| q.to_string())
            .collect();
        assert_eq!(stored, given);
    }

    #[test]
    fn quads_sorted_a_chunk_at_a_time_give_the_same_store() {
        // A build of more than a chunk has its chunks sorted on another thread and their runs
        // merged: the same six orders as sorting all at once, a quad repeated in another
        // chunk kept once.
        let distinct = quads();
        let mut all = distinct.clone();
        all.extend(distinct.iter().rev().cloned());
        let build = |chunk| {
            let mut builder = FrozenBuilder::with_chunk(chunk);
            for quad in &all {
                builder.insert(quad).expect("named graph");
            }
            builder.finish().expect("few terms")
        };
        let whole = build(usize::MAX);
        assert_eq!(whole.len(), distinct.len());
        for chunk in [1, 2, 3, 5, all.len() - 1] {
            let chunked = build(chunk);
            assert!(chunked.orders == whole.orders, "chunks of {chunk}");
            assert_eq!(chunked.graphs, whole.graphs, "chunks of {chunk}");
        }
    }

    #[test]
    fn a_text_changed_in_place_is_a_new_term() {
        // Terms are remembered by where their text is; a text rewritten at the same address
        // (as a freed and reused allocation would be) must not be taken for the old term.
        let mut text = String::from("http://example.org/a1");
        let mut builder = FrozenBuilder::default();
        let add = |text: &str, builder: &mut FrozenBuilder| {
            let quad = QuadRef::new(
                NamedNodeRef::new_unchecked(text),
                NamedNodeRef::new_unchecked(text),
                NamedNodeRef::new_unchecked(text),
                NamedNodeRef::new_unchecked(text),
            );
            builder.insert(quad).expect("named graph");
        };
        add(&text, &mut builder);
        text.replace_range(20.., "2");
        add(&text, &mut builder);
        // and a literal whose value is the same text, typed: another term again
        let literal = Literal::new_typed_literal(text.as_str(), xsd::ANY_URI);
        let quad = QuadRef::new(
            NamedNodeRef::new_unchecked(&text),
            NamedNodeRef::new_unchecked(&text),
            &literal,
            NamedNodeRef::new_unchecked(&text),
        );
        builder.insert(quad).expect("named graph");
        let store = Arc::new(builder.finish().expect("few terms"));
        let quads: Vec<String> = store
            .quads_for_pattern(None, None, None, None)
            .map(|q| q.to_string())
            .collect();
        let a1 = "<http://example.org/a1>";
        let a2 = "<http://example.org/a2>";
        let mut expected = vec![
            format!("{a1} {a1} {a1} {a1}"),
            format!("{a2} {a2} {a2} {a2}"),
            format!(
                "{a2} {a2} \"http://example.org/a2\"^^<http://www.w3.org/2001/XMLSchema#anyURI> {a2}"
            ),
        ];
        expected.sort();
        let mut quads = quads;
        quads.sort();
        assert_eq!(quads, expected);
    }

    #[test]
    fn a_quad_in_the_default_graph_is_refused() {
        let mut builder = FrozenBuilder::default();
        let quad = Quad::new(node("a"), node("b"), node("c"), GraphName::DefaultGraph);
        assert!(builder.insert(&quad).is_err());
    }
}
