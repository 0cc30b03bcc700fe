//! The `touchbook` command; everything happens in the library's `cli` module.

fn main() -> std::process::ExitCode {
    touchbook::cli::main()
}
