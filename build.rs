//! Embeds themes/default into the binary, so that `zhibu` works for a site
//! that has no themes/ folder of its own (a new site made by `zhibu init`).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Files of the built-in theme: (path inside the theme, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        let _ = writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_theme.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
    search_code_hash();
    code_hash();
}

/// A hash of the code that builds the search index (and of the locked
/// dependency versions, jieba's dictionary among them): part of the index's
/// published folder name, so that new code never reuses an old name.
fn search_code_hash() {
    println!("cargo:rerun-if-changed=src/outputs/search");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let h = hash_code("src/outputs/search");
    println!("cargo:rustc-env=ZHIBU_SEARCH_CODE={h:016x}");
}

/// A hash of all of zhibu's code (and the locked dependencies): part of
/// every key of the build cache's outputs, so that changed code never
/// reuses a result made by the old one, even within one version.
fn code_hash() {
    println!("cargo:rerun-if-changed=src");
    let h = hash_code("src");
    println!("cargo:rustc-env=ZHIBU_CODE={h:016x}");
}

/// FNV-1a over the files of `folder` (sorted) and Cargo.lock.
fn hash_code(folder: &str) -> u64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&dir.join(folder), &dir.join(folder), &mut files);
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let lock = dir.join("Cargo.lock");
    for path in files
        .iter()
        .map(|(_, abs)| Path::new(abs))
        .chain([lock.as_path()])
    {
        for b in std::fs::read(path).unwrap_or_default() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push((
                rel.to_string_lossy().replace('\\', "/"),
                p.to_string_lossy().to_string(),
            ));
        }
    }
}
