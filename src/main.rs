//! The `touchbook` command; everything happens in the library's `cli` module.

/// Rendering builds and drops many small JSON values on every core at once; glibc's allocator
/// spent a third of a build in malloc, free and arena growth (perf), mimalloc a fraction of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    touchbook::cli::main()
}
