fn main() {
    std::process::exit(cunwu::cmd::main());
}
