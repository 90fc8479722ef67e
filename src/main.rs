// Rendering allocates many short-lived strings on every thread; mimalloc's
// per-thread heaps make that markedly cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cunwu::cmd::main());
}
