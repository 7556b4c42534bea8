//! The `reti` binary: everything lives in the library; see `reti --help`.

fn main() -> std::process::ExitCode {
    reti::cli::main()
}
