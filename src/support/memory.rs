//! A memory budget per query, kept by the allocator.
//!
//! A public endpoint cannot trust a query to stay small: an `ORDER BY` over a product, a
//! `GROUP_CONCAT` of everything or a chain of `CONCAT(?x, ?x)` can ask for gigabytes. Charging
//! each operator of the evaluator for what it materialises would need an audit of every one of
//! them and would still miss the strings an expression builds; the allocator sees every byte.
//! So the binary's global allocator is [`Counting`], which adds up, on each thread, the bytes
//! allocated minus the bytes freed while a [`Budget`] is entered on that thread. When a query
//! passes its budget the allocator cancels the query's [`CancellationToken`] (an atomic store:
//! nothing is allocated, nothing unwinds) and notes which operator of the evaluator was
//! running ([`spareval::current_operator`]); the evaluator stops at its next check and the
//! endpoint answers with what [`Budget::exceeded`] tells.
//!
//! An allocation is never refused (that would abort the process), so a query can pass its
//! budget by what it asked for last before the evaluator notices: one string, or one growth of
//! a buffer.
//!
//! Memory freed on the query's thread that another thread allocated counts as freed, and
//! memory the query hands over (its serialised answer) stays counted until the budget is left;
//! neither matters for a budget that is entered once per query.
//!
//! ```
//! use reti::support::memory::Budget;
//! use spareval::CancellationToken;
//!
//! let token = CancellationToken::new();
//! let budget = Budget::enter(1 << 20, &token);
//! let big = vec![0u8; 4 << 20];
//! // only where reti::support::memory::Counting is the global allocator (the reti binary, its tests)
//! if reti::support::memory::is_counting() {
//!     assert!(token.is_cancelled());
//!     assert!(budget.exceeded().is_some());
//! }
//! drop(big);
//! ```

use spareval::CancellationToken;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether [`Counting`] is the global allocator (set by its first allocation).
static COUNTING: AtomicBool = AtomicBool::new(false);

/// True when the global allocator is [`Counting`], that is, when [`Budget`]s are enforced.
pub fn is_counting() -> bool {
    // make sure at least one allocation went through the global allocator
    drop(std::hint::black_box(Box::new(0u8)));
    COUNTING.load(Ordering::Relaxed)
}

/// The budget entered on this thread. Every field is `Copy` with a `const` initialiser, so
/// the thread-local has no destructor and is never lazily set up: it can be read from inside
/// the allocator, at any point of a thread's life.
struct Account {
    /// Bytes allocated minus bytes freed since the budget was entered.
    used: Cell<isize>,
    /// Most bytes the budget allows; 0 when no budget is entered.
    limit: Cell<isize>,
    /// Most bytes used at once.
    peak: Cell<isize>,
    /// The token to cancel when the budget is passed; null when none.
    token: Cell<*const CancellationToken>,
    /// Set once the budget has been passed: the operator running then, if the evaluator said.
    exceeded: Cell<Option<Option<&'static str>>>,
}

thread_local! {
    static ACCOUNT: Account = const {
        Account {
            used: Cell::new(0),
            limit: Cell::new(0),
            peak: Cell::new(0),
            token: Cell::new(std::ptr::null()),
            exceeded: Cell::new(None),
        }
    };
}

/// Adds `delta` bytes to the account of this thread, if a budget is entered on it.
#[inline]
fn charge(delta: isize) {
    let _ = ACCOUNT.try_with(|account| {
        let limit = account.limit.get();
        if limit == 0 {
            return;
        }
        let used = account.used.get().saturating_add(delta);
        account.used.set(used);
        if used > account.peak.get() {
            account.peak.set(used);
        }
        if used > limit && account.exceeded.get().is_none() {
            account.exceeded.set(Some(spareval::current_operator()));
            let token = account.token.get();
            if !token.is_null() {
                // SAFETY: the pointer is to the token boxed in the `Budget` that set it, which
                // clears it before the box is dropped; only this thread reads it.
                unsafe { (*token).cancel() };
            }
        }
    });
}

/// A global allocator that keeps each thread's [`Budget`]: wrap the allocator the program
/// would use anyway (`Counting(mimalloc::MiMalloc)` in reti's binary). Outside a budget it
/// costs one thread-local read per call.
pub struct Counting<A>(pub A);

// SAFETY: every call is passed to the wrapped allocator unchanged; the accounting allocates
// nothing and never unwinds.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let ptr = unsafe { self.0.alloc(layout) };
        if !ptr.is_null() {
            charge(size(layout.size()));
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let ptr = unsafe { self.0.alloc_zeroed(layout) };
        if !ptr.is_null() {
            charge(size(layout.size()));
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as the caller promised for `ptr` and `layout`.
        unsafe { self.0.dealloc(ptr, layout) };
        charge(-size(layout.size()));
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as the caller promised for `ptr`, `layout` and `new_size`.
        let new = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            charge(size(new_size) - size(layout.size()));
        }
        new
    }
}

#[inline]
fn size(bytes: usize) -> isize {
    if !COUNTING.load(Ordering::Relaxed) {
        COUNTING.store(true, Ordering::Relaxed);
    }
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

/// Whether this thread's budget has room for `bytes` more; if not, the budget is marked passed
/// and its query cancelled. The evaluator asks before a string grows (see
/// [`spareval::set_growth_check`]), so that a string that doubles is refused before it is
/// made, not noticed after.
fn has_room(bytes: usize) -> bool {
    ACCOUNT
        .try_with(|account| {
            let limit = account.limit.get();
            if limit == 0 {
                return true;
            }
            let wanted = account
                .used
                .get()
                .saturating_add(isize::try_from(bytes).unwrap_or(isize::MAX));
            if wanted <= limit {
                return true;
            }
            if account.exceeded.get().is_none() {
                account.exceeded.set(Some(spareval::current_operator()));
            }
            let token = account.token.get();
            if !token.is_null() {
                // SAFETY: as in `charge`.
                unsafe { (*token).cancel() };
            }
            false
        })
        .unwrap_or(true)
}

/// What passed a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// The budget, in bytes.
    pub limit: usize,
    /// The evaluator's operator that was running when the budget was passed, if it said.
    pub operator: Option<&'static str>,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mib = self.limit as f64 / f64::from(1u32 << 20);
        match self.operator {
            Some(operator) => write!(
                f,
                "the query needed more than its memory budget of {mib} MiB (in {operator})"
            ),
            None => write!(
                f,
                "the query needed more than its memory budget of {mib} MiB"
            ),
        }
    }
}

/// A memory budget entered on the current thread: from [`Budget::enter`] until it is dropped,
/// the thread's allocations count against it, and passing it cancels the token. Not `Send`:
/// it belongs to the thread that entered it.
pub struct Budget {
    limit: usize,
    /// Boxed, so that its address, which the thread-local keeps, does not move.
    _token: Box<CancellationToken>,
    previous: Option<Saved>,
    _not_send: std::marker::PhantomData<*const ()>,
}

/// A budget entered before this one on the same thread, restored when this one is left.
#[derive(Clone, Copy)]
struct Saved {
    used: isize,
    limit: isize,
    peak: isize,
    token: *const CancellationToken,
    exceeded: Option<Option<&'static str>>,
}

impl Budget {
    /// Counts this thread's allocations against `limit` bytes from now on, cancelling `token`
    /// once they pass it. A budget of 0 bytes is no budget.
    pub fn enter(limit: usize, token: &CancellationToken) -> Self {
        spareval::set_growth_check(has_room);
        let token = Box::new(token.clone());
        let pointer: *const CancellationToken = &*token;
        let limit_bytes = isize::try_from(limit).unwrap_or(isize::MAX);
        let previous = ACCOUNT
            .try_with(|account| {
                let saved = Saved {
                    used: account.used.get(),
                    limit: account.limit.get(),
                    peak: account.peak.get(),
                    token: account.token.get(),
                    exceeded: account.exceeded.get(),
                };
                account.used.set(0);
                account.peak.set(0);
                account.exceeded.set(None);
                account.token.set(pointer);
                account.limit.set(limit_bytes);
                saved
            })
            .ok();
        Self {
            limit,
            _token: token,
            previous,
            _not_send: std::marker::PhantomData,
        }
    }

    /// Whether the budget has been passed, and in which operator.
    pub fn exceeded(&self) -> Option<Exceeded> {
        ACCOUNT
            .try_with(|account| account.exceeded.get())
            .ok()
            .flatten()
            .map(|operator| Exceeded {
                limit: self.limit,
                operator,
            })
    }

    /// Most bytes counted at once since the budget was entered.
    pub fn peak(&self) -> usize {
        ACCOUNT
            .try_with(|account| usize::try_from(account.peak.get()).unwrap_or(0))
            .unwrap_or(0)
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        let _ = ACCOUNT.try_with(|account| match self.previous {
            Some(saved) => {
                account.used.set(saved.used);
                account.limit.set(saved.limit);
                account.peak.set(saved.peak);
                account.token.set(saved.token);
                account.exceeded.set(saved.exceeded);
            }
            None => {
                account.limit.set(0);
                account.token.set(std::ptr::null());
            }
        });
    }
}
