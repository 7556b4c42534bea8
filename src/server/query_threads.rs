//! Threads with room for deep queries, kept from one query to the next.
//!
//! The SPARQL parser and Oxigraph's evaluator recurse once per level of a query's nesting, so
//! they run on threads with [`STACK_BYTES`] of stack (only the pages used are ever allocated).
//! Starting such a thread for every query, and unmapping its stack afterwards, cost more than
//! answering a small query; so the threads are started on demand, when none is idle, and then
//! wait for the next query. Their number is capped: past it, queries wait for a thread (the
//! endpoint's own cap on concurrent queries keeps far below it).

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

/// Stack of each thread. Within the endpoint's limits on nesting the parser and the evaluator
/// need far more than the 2 MiB of a runtime thread (tens of KiB per level in a debug build).
pub const STACK_BYTES: usize = 256 << 20;
/// Most threads kept.
const MAX_THREADS: usize = 64;

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    sender: Mutex<Sender<Job>>,
    receiver: Arc<Mutex<Receiver<Job>>>,
    idle: Arc<AtomicUsize>,
    threads: AtomicUsize,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (sender, receiver) = channel();
        Pool {
            sender: Mutex::new(sender),
            receiver: Arc::new(Mutex::new(receiver)),
            idle: Arc::new(AtomicUsize::new(0)),
            threads: AtomicUsize::new(0),
        }
    })
}

impl Pool {
    /// Starts one more thread; false if the system refused.
    fn grow(&self) -> bool {
        let receiver = Arc::clone(&self.receiver);
        let idle = Arc::clone(&self.idle);
        let started = std::thread::Builder::new()
            .name("reti-query".into())
            .stack_size(STACK_BYTES)
            .spawn(move || {
                loop {
                    idle.fetch_add(1, Ordering::SeqCst);
                    let job = match receiver.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    idle.fetch_sub(1, Ordering::SeqCst);
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
        if started.is_ok() {
            self.threads.fetch_add(1, Ordering::SeqCst);
        }
        started.is_ok()
    }

    fn submit(&self, job: Job) -> bool {
        if self.idle.load(Ordering::SeqCst) == 0
            && self.threads.load(Ordering::SeqCst) < MAX_THREADS
            && !self.grow()
            && self.threads.load(Ordering::SeqCst) == 0
        {
            return false;
        }
        match self.sender.lock() {
            Ok(sender) => sender.send(job).is_ok(),
            Err(_) => false,
        }
    }
}

/// Runs `f` on a query thread and waits for it without blocking the runtime; `None` if no
/// thread could be started or `f` panicked.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let result = std::panic::catch_unwind(AssertUnwindSafe(f)).ok();
        let _ = tx.send(result);
    });
    if !pool().submit(job) {
        return None;
    }
    rx.await.ok().flatten()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn threads_are_reused_and_survive_a_panic() {
        assert_eq!(
            super::run(|| -> u8 { panic!("a broken query") }).await,
            None
        );
        // one query at a time: kept threads answer (other tests may use the pool meanwhile)
        let mut threads = std::collections::HashSet::new();
        for _ in 0..50 {
            threads.insert(super::run(|| std::thread::current().id()).await);
        }
        assert!(
            threads.len() < 10,
            "{} threads for 50 queries",
            threads.len()
        );
        // deep recursion fits
        fn depth(n: u64) -> u64 {
            let pad = std::hint::black_box([n; 64]);
            if n == 0 {
                0
            } else {
                1 + depth(n - 1) + pad[63] - n
            }
        }
        assert_eq!(super::run(|| depth(100_000)).await, Some(100_000));
    }
}
