//! Arbitrary bytes as a CSV source file: the first byte chooses places or memberships.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod loader;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let name = if kind % 2 == 0 {
        "data.places.csv"
    } else {
        "data.memberships.csv"
    };
    loader::check(name, rest);
});
