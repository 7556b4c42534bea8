//! Arbitrary bytes as a TOML source file.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod loader;

fuzz_target!(|data: &[u8]| {
    loader::check("data.toml", data);
});
