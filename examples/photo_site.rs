//! Writes a fixture site for the browser test of photos
//! (tests/browser/photos.test.mjs): an activity with 9 phone photos
//! (4032×3024, stored sideways with EXIF orientation 6 and a GPS position,
//! as phones write them), generated in code, and two more activities with
//! a photo each so that the home page shows cards with covers.
//!
//! `cargo run --release --example photo_site -- DIR`

use std::path::Path;

use zhibu::images::sample::phone_photo;

fn write(root: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d)?;
    }
    std::fs::write(p, bytes)
}

fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: photo_site DIR");
        std::process::exit(2);
    };
    let root = Path::new(&dir);
    write(
        root,
        "site.toml",
        b"title = \"\xe7\x85\xa7\xe7\x89\x87\xe6\xb5\x8b\xe8\xaf\x95\"\nbase_url = \"http://127.0.0.1/zhibu/\"\n",
    )?;
    let act = "content/activities/2025-05-04-wusi/";
    let body = "---\ntitle: 五四青年节主题团日\ndate: 2025-05-04 14:00\nkind: 主题党日\nlocation: 党员之家\n---\n\n五四青年节当天，支部全体党员在党员之家开展主题党日活动，重温入党誓词，交流学习体会。\n";
    write(root, &format!("{act}index.md"), body.as_bytes())?;
    for i in 1..=9u64 {
        let photo = phone_photo(4032, 3024, i, 6);
        write(root, &format!("{act}photo-{i}.jpg"), &photo)?;
    }
    for (slug, date, seed) in [
        ("2025-06-01-zhiyuan", "2025-06-01", 21),
        ("2025-07-01-dangke", "2025-07-01", 22),
    ] {
        let d = format!("content/activities/{slug}/");
        let md = format!("---\ntitle: 活动 {slug}\ndate: {date} 09:00\n---\n\n活动内容。\n");
        write(root, &format!("{d}index.md"), md.as_bytes())?;
        write(
            root,
            &format!("{d}photo-1.jpg"),
            &phone_photo(4032, 3024, seed, 1),
        )?;
    }
    println!("{}", root.display());
    Ok(())
}
