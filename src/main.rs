//! The `touchbook` command; everything happens in the library's `cli` module.

/// Rendering builds and drops many small values on every core at once, where glibc's allocator
/// contends and mimalloc, with its per-thread heaps, does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    touchbook::cli::main()
}
