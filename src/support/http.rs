//! HTTP clients' common ground.

/// Makes ring the process's TLS crypto provider, which every `reqwest` client needs: reti
/// builds reqwest without one, to keep aws-lc (and its C build) out. Calling it again, or
/// after another provider was installed, does nothing.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
