//! Tests of the writers: whole replacement, unchanged files kept, links.

use super::*;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zhibu-write-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn replaces_output_whole() {
    let d = tmp("replace");
    let out = d.join("public");
    write_output(&out, &[OutputFile::bytes("a/index.html", b"one".to_vec())]).unwrap();
    write_output(&out, &[OutputFile::bytes("b.txt", b"two".to_vec())]).unwrap();
    assert!(!out.join("a/index.html").exists());
    assert!(!out.join("a").exists(), "empty folders go too");
    assert_eq!(std::fs::read(out.join("b.txt")).unwrap(), b"two");
    // the previous output waits beside it as the next staging folder
    assert!(staging_dir(&out).join("a/index.html").exists());
    write_output(
        &out,
        &[
            OutputFile::bytes("b.txt", b"two".to_vec()),
            OutputFile::bytes("c/d.txt", b"3".to_vec()),
        ],
    )
    .unwrap();
    assert_eq!(std::fs::read(out.join("c/d.txt")).unwrap(), b"3");
    assert!(!out.join("a").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_changed_file_with_other_names_is_written_as_a_new_file() {
    let d = tmp("linked");
    let out = d.join("public");
    let staging = Staging::open(&out).unwrap();
    std::fs::write(staging.dir.join("a.json"), b"same").unwrap();
    std::fs::hard_link(staging.dir.join("a.json"), staging.dir.join("b.json")).unwrap();
    staging
        .put(&OutputFile::bytes("a.json", b"new!".to_vec()))
        .unwrap();
    staging
        .put(&OutputFile::bytes("b.json", b"same".to_vec()))
        .unwrap();
    staging.finish().unwrap();
    assert_eq!(std::fs::read(out.join("a.json")).unwrap(), b"new!");
    assert_eq!(
        std::fs::read(out.join("b.json")).unwrap(),
        b"same",
        "its link partner is unchanged"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let d = tmp("unchanged");
    let out = d.join("public");
    let files = [OutputFile::bytes("same.txt", b"same".to_vec())];
    write_output(&out, &files).unwrap();
    write_output(&out, &files).unwrap();
    let before = std::fs::metadata(out.join("same.txt"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_output(&out, &files).unwrap();
    write_output(&out, &files).unwrap();
    let after = std::fs::metadata(out.join("same.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn failed_write_keeps_previous_output() {
    let d = tmp("fail");
    let out = d.join("public");
    write_output(&out, &[OutputFile::bytes("index.html", b"good".to_vec())]).unwrap();
    let bad = [
        OutputFile::bytes("x.html", b"x".to_vec()),
        OutputFile::copy("y.jpg", d.join("missing.jpg")),
    ];
    assert!(write_output(&out, &bad).is_err());
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"good");
    assert!(!out.join("x.html").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn never_outside() {
    assert!(is_contained("a/b.html"));
    for bad in ["../x", "/etc/passwd", "a/../../x", "a\\..\\x", "C:/x", ""] {
        assert!(!is_contained(bad), "{bad}");
    }
    let d = tmp("outside");
    assert!(write_output(&d.join("public"), &[OutputFile::bytes("../evil", vec![])]).is_err());
    assert!(!d.join("evil").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn refuses_dangerous_output_dirs() {
    let d = tmp("danger");
    std::fs::write(d.join("site.toml"), "").unwrap();
    assert!(check_output_dir(&d, &d).is_err(), "the site itself");
    assert!(
        check_output_dir(d.parent().unwrap(), &d).is_err(),
        "a parent of the site"
    );
    let docs = d.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("thesis.docx"), "x").unwrap();
    assert!(check_output_dir(&docs, &d).is_err(), "someone's folder");
    assert!(check_output_dir(&d.join("public"), &d).is_ok());
    std::fs::remove_dir_all(&d).unwrap();
}
