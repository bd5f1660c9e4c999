//! The printed figures: per size, a table of the builds with medians,
//! min–max and the ratio to Hugo's cold build; whether every warm output was
//! byte-identical to a cold one; issue 13's photo budgets; and how the cold
//! and warm builds grow from each size to the next.

use crate::Run;
use crate::builds::{Measured, STEPS, SizeResult, Step};
use crate::median;

fn wall(r: &Run) -> f64 {
    r.wall.as_secs_f64()
}
fn cpu(r: &Run) -> f64 {
    r.cpu.as_secs_f64()
}
fn rss(r: &Run) -> f64 {
    r.rss_mb
}

fn med(rs: &[Run], f: fn(&Run) -> f64) -> f64 {
    median(rs.iter().map(f).collect())
}

/// `median (min–max)`, in seconds.
fn spread(rs: &[Run], f: fn(&Run) -> f64) -> String {
    let v: Vec<f64> = rs.iter().map(f).collect();
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(0.0, f64::max);
    let digits = if hi < 1.0 { 3 } else { 2 };
    format!(
        "{:.digits$} s ({lo:.digits$}–{hi:.digits$})",
        median(v.clone())
    )
}

fn row(name: &str, rs: &[Run], hugo: Option<f64>) {
    let ratio = hugo.map_or("–".into(), |h| format!("{:.2}×", med(rs, wall) / h));
    let max_rss = rs.iter().map(rss).fold(0.0, f64::max);
    println!(
        "| {name} | {} | {ratio} | {} | {:.0} MB ({max_rss:.0}) |",
        spread(rs, wall),
        spread(rs, cpu),
        med(rs, rss)
    );
}

fn site_label(m: &Measured) -> String {
    if m.photos > 0 {
        format!(", {} photos", m.photos)
    } else {
        String::new()
    }
}

pub(crate) fn size(r: &SizeResult) {
    let plain = &r.sites[0];
    println!(
        "\n## {} pages, seed {}: {} files, {:.1} MB written, search index {:.1} MB; {:.1} M characters of body text, longest page {}",
        r.pages,
        r.seed,
        plain.files,
        plain.bytes as f64 / 1e6,
        plain.index_bytes as f64 / 1e6,
        r.chars as f64 / 1e6,
        r.longest
    );
    println!(
        "load average before {}, after {} ({} runs each, medians, min–max; one round of warm-up)\n",
        r.load_before, r.load_after, r.runs
    );
    println!("| build | wall | ÷ Hugo cold | CPU (user+sys) | peak RSS (max) |");
    println!("|---|---:|---:|---:|---:|");
    let hugo = (!r.hugo.is_empty()).then(|| med(&r.hugo, wall));
    if hugo.is_some() {
        row("Hugo cold", &r.hugo, hugo);
    }
    for m in &r.sites {
        for s in STEPS {
            row(&format!("{}{}", s.label(), site_label(m)), m.step(s), hugo);
        }
    }
    for m in &r.sites {
        if m.differing.is_empty() {
            println!(
                "\nidentical{}: {} warm outputs (one-edit, kept and empty output folder) hashed file by file against a cold --no-cache build of the same corpus: all {} files byte-identical",
                site_label(m),
                m.compared,
                m.files
            );
        } else {
            println!(
                "\n**OUTPUT DIFFERS{}**: {} of {} warm outputs are not what a cold build writes:",
                site_label(m),
                m.differing.len(),
                m.compared
            );
            for d in &m.differing {
                println!("- {d}");
            }
        }
    }
    if let Some(p) = r.sites.get(1) {
        budgets(plain, p);
    }
}

/// Issue 13's budgets: the site with photos against the same site without.
fn budgets(plain: &Measured, photos: &Measured) {
    let n = photos.photos as f64;
    let d = |s: Step, f: fn(&Run) -> f64| med(photos.step(s), f) - med(plain.step(s), f);
    let verdict = |ok: bool| if ok { "within" } else { "OVER" };
    let per_photo = d(Step::Cold, cpu) / n;
    println!(
        "\n### photos: {} 12-MP phone photos (issue 13's budgets)\n",
        photos.photos
    );
    println!(
        "- cold CPU per photo: {per_photo:.3} s ((cold CPU with − without) ÷ {n}; budget 0.25 s: {})",
        verdict(per_photo <= 0.25)
    );
    for s in [Step::WarmNothing, Step::WarmEdit, Step::WarmEditFresh] {
        let w = d(s, wall);
        println!(
            "- {}: photos add {w:+.3} s wall, {:+.3} s CPU (budget 0.1 s: {})",
            s.label(),
            d(s, cpu),
            verdict(w <= 0.1)
        );
    }
    for s in STEPS {
        let m = d(s, rss);
        println!(
            "- peak RSS, {}: photos add {m:+.0} MB (budget 100 MB: {})",
            s.label(),
            verdict(m <= 100.0)
        );
    }
}

/// How the builds grow from each size to the next (same seed).
pub(crate) fn growth(rs: &[SizeResult]) {
    if rs.len() < 2 {
        return;
    }
    println!(
        "\n## growth, seed {} (ratio of medians, plain site)\n",
        rs[0].seed
    );
    println!(
        "| pages | × pages | cold wall | cold CPU | cold peak RSS | one-edit wall | one-edit CPU |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for w in rs.windows(2) {
        let (a, b) = (&w[0].sites[0], &w[1].sites[0]);
        let g = |s: Step, f: fn(&Run) -> f64| med(b.step(s), f) / med(a.step(s), f);
        println!(
            "| {} → {} | {:.1}× | {:.2}× | {:.2}× | {:.2}× | {:.2}× | {:.2}× |",
            w[0].pages,
            w[1].pages,
            w[1].pages as f64 / w[0].pages as f64,
            g(Step::Cold, wall),
            g(Step::Cold, cpu),
            g(Step::Cold, rss),
            g(Step::WarmEdit, wall),
            g(Step::WarmEdit, cpu)
        );
    }
    println!("\n| pages | cold wall | cold CPU | cold peak RSS |");
    println!("|---:|---:|---:|---:|");
    for r in rs {
        let c = r.sites[0].step(Step::Cold);
        println!(
            "| {} | {:.2} s | {:.2} s | {:.0} MB |",
            r.pages,
            med(c, wall),
            med(c, cpu),
            med(c, rss)
        );
    }
}
