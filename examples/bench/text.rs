//! The text of the generated pages: a seeded random generator, sentences
//! and names from the vocabulary (examples/bench/words.rs), Markdown bodies
//! of a given length (one paragraph, or sections with headings, lists,
//! quotes, tables and `@/` links), tags and dates.

use std::fmt::Write as _;

use crate::words::*;

/// xorshift64 seeded through splitmix64: every seed gives its own corpus,
/// and the same seed the same corpus on every machine.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub(crate) fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
    /// An index below `n`, small ones far more likely (about Zipf-like).
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        ((self.unit().powf(2.5)) * n as f64) as usize
    }
    /// Log-normal with the given median and spread, clamped.
    pub(crate) fn lognormal(&mut self, median: f64, sigma: f64, lo: f64, hi: f64) -> f64 {
        // Box–Muller; 1 - unit() is in (0, 1], so the logarithm is finite.
        let (u, v) = (1.0 - self.unit(), self.unit());
        let z = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        (median * (sigma * z).exp()).clamp(lo, hi)
    }
    pub(crate) fn weighted<'a>(&mut self, v: &[(&'a str, usize)]) -> &'a str {
        let total: usize = v.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total);
        for (s, w) in v {
            if x < *w {
                return s;
            }
            x -= w;
        }
        v[0].0
    }
}

/// Lesson `i` is a draft: built only with --drafts, so nothing links to it.
pub(crate) fn draft(i: usize) -> bool {
    i % 101 == 37
}

pub(crate) fn sentence(r: &mut Rng) -> String {
    let mut s = String::new();
    for i in 0..(5 + r.below(10)) {
        if i > 0 && r.below(3) == 0 {
            s.push_str(r.pick(CONNECT));
        }
        s.push_str(r.pick(WORDS));
    }
    s.push_str(r.pick(END));
    s
}

pub(crate) fn name(r: &mut Rng) -> String {
    let given = if r.chance(0.3) { 1 } else { 2 };
    let mut s = r.pick(SURNAMES).to_string();
    for _ in 0..given {
        s.push_str(r.pick(GIVEN));
    }
    s
}

/// Links a body may carry: lessons (not drafts), members, activities.
pub(crate) struct Targets {
    pub(crate) lessons: usize,
    pub(crate) members: usize,
    pub(crate) activities: usize,
}

impl Targets {
    fn any(&self, r: &mut Rng) -> String {
        match r.below(6) {
            0 if self.members > 0 => format!("@/members/member-{}.md", r.below(self.members)),
            1 if self.activities > 0 => {
                format!(
                    "@/activities/activity-{}/index.md",
                    r.below(self.activities)
                )
            }
            _ => self.lesson(r),
        }
    }
    pub(crate) fn lesson(&self, r: &mut Rng) -> String {
        let mut i = r.below(self.lessons);
        if draft(i) {
            i -= 1; // 37 + 101k - 1 is never a draft
        }
        format!("@/lessons/lesson-{i}.md")
    }
}

pub(crate) fn paragraph(r: &mut Rng, t: &Targets, len: usize) -> String {
    let mut p = String::new();
    while p.chars().count() < len {
        p.push_str(&sentence(r));
        if r.below(12) == 0 {
            let _ = write!(p, "**{}{}**，", r.pick(WORDS), r.pick(WORDS));
        }
        if r.below(14) == 0 {
            let _ = write!(p, "参见[{}]({})。", r.pick(WORDS), t.any(r));
        }
    }
    p
}

pub(crate) fn table(r: &mut Rng, b: &mut String) {
    b.push_str("| 项目 | 负责人 | 完成情况 |\n|---|---|---|\n");
    for _ in 0..(2 + r.below(6)) {
        let _ = writeln!(
            b,
            "| {}{} | {} | {} |",
            r.pick(WORDS),
            r.pick(WORDS),
            name(r),
            ["已完成", "进行中", "按计划推进"][r.below(3)]
        );
    }
    b.push('\n');
}

/// Markdown of about `target` characters: one paragraph when short;
/// sections with headings, lists, quotes, tables and links when long.
pub(crate) fn body(r: &mut Rng, t: &Targets, target: usize) -> String {
    let mut b = String::new();
    if target < 300 {
        let _ = writeln!(b, "{}", paragraph(r, t, target));
        return b;
    }
    let len = 60 + r.below(140);
    let _ = writeln!(b, "{}\n", paragraph(r, t, len));
    let mut section = 1;
    while b.chars().count() < target {
        let _ = writeln!(
            b,
            "## {}、{}{}\n",
            cn_number(section),
            r.pick(WORDS),
            r.pick(WORDS)
        );
        section += 1;
        for _ in 0..(1 + r.below(4)) {
            let len = 80 + r.below(260);
            let _ = writeln!(b, "{}\n", paragraph(r, t, len));
            match r.below(14) {
                0 | 1 => {
                    for _ in 0..(2 + r.below(5)) {
                        let _ = writeln!(b, "- {}", sentence(r));
                    }
                    b.push('\n');
                }
                2 => {
                    for k in 1..=(2 + r.below(4)) {
                        let _ = writeln!(b, "{k}. {}", sentence(r));
                    }
                    b.push('\n');
                }
                3 => {
                    let _ = writeln!(b, "> {}\n", sentence(r));
                }
                4 => table(r, &mut b),
                5 => {
                    let _ = writeln!(b, "### {}{}\n", r.pick(WORDS), r.pick(WORDS));
                }
                _ => {}
            }
        }
    }
    b
}

pub(crate) fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => format!("{}十{}", D[n / 10 % 10], D[n % 10]),
    }
}

/// `tags: [...]` with 0–8 distinct tags, or nothing.
pub(crate) fn tags(r: &mut Rng) -> String {
    const COUNTS: [usize; 9] = [12, 25, 25, 16, 9, 6, 4, 2, 1];
    let mut x = r.below(100);
    let mut n = 0;
    while x >= COUNTS[n] {
        x -= COUNTS[n];
        n += 1;
    }
    let mut picked: Vec<&str> = Vec::new();
    while picked.len() < n {
        let t = TAGS[r.skewed(TAGS.len())];
        if !picked.contains(&t) {
            picked.push(t);
        }
    }
    if picked.is_empty() {
        String::new()
    } else {
        format!("tags: [{}]\n", picked.join(", "))
    }
}

/// A date between 2019-01 and 2026-11 (the benchmark's "now" is
/// 2026-11-21), or in the months after it when `future`.
pub(crate) fn date(r: &mut Rng, future: bool) -> String {
    if future {
        let m = 12 + r.below(6);
        let (y, m) = (2026 + (m - 1) / 12, (m - 1) % 12 + 1);
        return format!("{y}-{m:02}-{:02}", 1 + r.below(28));
    }
    let m = r.below(95); // 2019-01 .. 2026-11
    let (y, m) = (2019 + m / 12, m % 12 + 1);
    let day = if y == 2026 && m == 11 {
        1 + r.below(20)
    } else {
        1 + r.below(28)
    };
    format!("{y}-{m:02}-{day:02}")
}

pub(crate) fn body_len(r: &mut Rng, median: f64) -> usize {
    r.lognormal(median, 1.0, 80.0, 20_000.0) as usize
}
