//! The `reti` binary: everything lives in the library; see `reti --help`.

/// mimalloc: a build makes and drops tens of millions of small strings, on one thread while
/// another frees them, and with glibc's allocator a third of a million-membership build went
/// to `malloc` and `free` (BENCHMARKS.md, "Optimisations"). Set here, not in the library, so
/// that a program using the library keeps its own allocator; the benchmarks set it too.
/// Wrapped in `Counting`, which keeps each query's memory budget (`reti::support::memory`).
#[global_allocator]
static ALLOCATOR: reti::support::memory::Counting<mimalloc::MiMalloc> =
    reti::support::memory::Counting(mimalloc::MiMalloc);

fn main() -> std::process::ExitCode {
    reti::cli::main()
}
