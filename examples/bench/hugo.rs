//! The Hugo twin of a generated site: the same content files (YAML front
//! matter is shared; members' `name` becomes `title`, zhibu's `@/` links
//! plain paths) under a minimal theme of its own — no search index, no QR
//! codes, no calendar, so Hugo does less than zhibu.

use std::path::Path;
use std::process::Command;

use crate::corpus::write;
use crate::walk;

/// `hugo` is installed (Debian's package).
pub(crate) fn available() -> bool {
    Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Writes the Hugo site for the zhibu site `zhibu` into `hugo`.
pub(crate) fn generate(zhibu: &Path, hugo: &Path) {
    let _ = std::fs::remove_dir_all(hugo);
    write(
        &hugo.join("hugo.toml"),
        "baseURL = 'https://bench.example.edu.cn/dangjian/'\ntitle = '基准测试支部'\nlanguageCode = 'zh-cn'\nhasCJKLanguage = true\ndisableKinds = ['RSS']\n[taxonomies]\ntag = 'tags'\n",
    );
    write(
        &hugo.join("layouts/_default/baseof.html"),
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    );
    write(
        &hugo.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    );
    write(
        &hugo.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}\n",
    );
    write(
        &hugo.join("layouts/index.html"),
        "{{ define \"main\" }}<ul>{{ range first 10 .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    );
    let content = zhibu.join("content");
    for e in walk(&content) {
        let rel = e
            .strip_prefix(&content)
            .expect("walk stays inside content/");
        if e.extension().is_some_and(|x| x != "md") {
            // bundle files (photos) as they are: Hugo copies them
            let to = hugo.join("content").join(rel);
            std::fs::create_dir_all(to.parent().expect("a file in a folder")).expect("folder");
            std::fs::hard_link(&e, &to)
                .or_else(|_| std::fs::copy(&e, &to).map(|_| ()))
                .expect("copy a bundle file");
            continue;
        }
        let text = std::fs::read_to_string(&e).expect("read a generated page");
        let text = text
            .replace("](@/", "](/")
            .replace("/index.md)", "/)")
            .replace(".md)", "/)")
            .replace("\nname: ", "\ntitle: ");
        write(&hugo.join("content").join(rel), &text);
    }
}

/// The command that builds `site` into `out`.
pub(crate) fn command(site: &Path, out: &Path) -> Command {
    let mut c = Command::new("hugo");
    c.arg("--quiet").arg("-s").arg(site).arg("-d").arg(out);
    c
}
