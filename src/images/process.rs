//! The processor: jobs in; image sets, output files and diagnostics out,
//! through the build cache.
//!
//! Per image, a warm build reads the source's fingerprint record (no need
//! to read the photo), the image's manifest record (its [`ImageSet`], the
//! copies' lengths, its warnings) and stats each copy in the cache; the
//! output files are copied from the cache by the writer. A cold build
//! makes the copies (`make.rs`), stores each as a blob and then the
//! manifest. Refused images are not cached: their header is read again
//! next time, which costs nothing.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::budget::{self, Budget};
use super::make::{self, Made, Piece, Use};
use super::probe::Problem;
use super::{Format, ImageSet, Job, Role, Roles, Variant};
use crate::cache::{Cache, Key};
use crate::config::ImagesConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::OutputFile;
use crate::routes;

use super::progress::Progress;

/// Bump when the copies made from the same bytes and settings change.
const VERSION: u32 = 2;
const NAMESPACE: &str = "images";

/// Makes the published copies of a build's images. Create one per build
/// (or per `serve` session) and share it.
pub struct Processor {
    root: PathBuf,
    config: ImagesConfig,
    cache: Arc<Cache>,
    budget: Budget,
}

/// The result of [`Processor::process`].
#[derive(Debug, Default)]
pub struct Processed {
    /// By the job's site path.
    pub sets: BTreeMap<String, ImageSet>,
    /// Every file to publish, sorted by path; copies come from the cache.
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
    pub summary: Summary,
}

/// Counts for the build's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Images published (each source once).
    pub images: usize,
    /// Of those, how many came from the cache without decoding.
    pub from_cache: usize,
    /// Images refused with an error.
    pub failed: usize,
    /// Images whose source carried a location (removed from every copy).
    pub with_location: usize,
    /// Files published, and their bytes.
    pub files: usize,
    pub bytes: u64,
}

impl Summary {
    /// `图片 300 张（280 张来自缓存）`, or nothing without images.
    pub fn line(&self) -> Option<String> {
        (self.images + self.failed > 0).then(|| {
            let mut s = format!("图片 {} 张（{} 张来自缓存", self.images, self.from_cache);
            if self.failed > 0 {
                s.push_str(&format!("，{} 张有错误", self.failed));
            }
            s.push('）');
            s
        })
    }

    /// The one info line about locations, when any photo had one.
    pub fn location_line(&self) -> Option<String> {
        (self.with_location > 0).then(|| {
            format!(
                "{} 张照片带有拍摄地点（GPS）：发布的图片里已去掉位置和相机信息",
                self.with_location
            )
        })
    }
}

/// One source image with all the roles its jobs asked for.
struct Source {
    path: PathBuf,
    site_path: String,
    roles: Roles,
}

/// What one image came to.
struct Outcome {
    set: Option<ImageSet>,
    files: Vec<OutputFile>,
    diagnostics: Vec<Diagnostic>,
    cached: bool,
}

/// The manifest record of one image: its set, how to find each file, and
/// the warnings to repeat on every build.
#[derive(Serialize, Deserialize)]
struct Manifest {
    set: ImageSet,
    files: Vec<Stored>,
    warnings: Vec<(String, String)>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    path: String,
    /// The cache entry's name (what it is for); empty: the source itself.
    spec: String,
    ext: String,
    len: u64,
}

impl Processor {
    pub fn new(site_root: &Path, config: &ImagesConfig, cache: Arc<Cache>) -> Processor {
        Processor {
            root: site_root.to_path_buf(),
            config: config.clone(),
            cache,
            budget: Budget::new(budget::DEFAULT_BYTES),
        }
    }

    /// The same with another working-memory budget (bytes).
    pub fn with_budget(mut self, bytes: u64) -> Processor {
        self.budget = Budget::new(bytes);
        self
    }

    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// Processes every job (in parallel, on rayon's pool). Never panics on
    /// any input: a bad image is a diagnostic and is left out of `sets`.
    pub fn process(&self, jobs: &[Job], progress: &dyn Progress) -> Processed {
        let mut merged: BTreeMap<(PathBuf, String), Roles> = BTreeMap::new();
        for j in jobs {
            let roles = merged
                .entry((j.source.clone(), j.site_path.clone()))
                .or_default();
            *roles |= j.roles;
        }
        let sources: Vec<Source> = merged
            .into_iter()
            .map(|((path, site_path), roles)| Source {
                path,
                site_path,
                roles: if roles.is_empty() {
                    Roles::from(Role::View)
                } else {
                    roles
                },
            })
            .collect();
        progress.start(sources.len());
        let outcomes: Vec<Outcome> = sources
            .par_iter()
            .map(|s| {
                let o = self.one(s);
                progress.step(o.cached);
                o
            })
            .collect();
        progress.finish();
        let mut done = Processed::default();
        for (s, o) in sources.iter().zip(outcomes) {
            done.diagnostics.extend(o.diagnostics);
            match o.set {
                Some(set) => {
                    done.summary.images += 1;
                    done.summary.from_cache += usize::from(o.cached);
                    done.summary.with_location += usize::from(set.had_location);
                    done.sets.insert(s.site_path.clone(), set);
                }
                None => done.summary.failed += 1,
            }
            done.files.extend(o.files);
        }
        done.files.sort_by(|a, b| a.path.cmp(&b.path));
        done.files.dedup_by(|a, b| a.path == b.path);
        done.summary.files = done.files.len();
        done.summary.bytes = done.sets.values().map(published_bytes).sum();
        done.diagnostics.extend(self.cache.take_warnings());
        done
    }

    /// The file as the editor knows it: relative to the site root.
    fn display(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }

    fn one(&self, s: &Source) -> Outcome {
        let display = self.display(&s.path);
        let fail = |p: Problem, line: u32, col: u32| Outcome {
            set: None,
            files: Vec::new(),
            diagnostics: vec![
                Diagnostic::error(p.message)
                    .in_file(&display)
                    .at(None, line, col)
                    .hint(p.hint),
            ],
            cached: false,
        };
        // Reading a file is bounded too: a video renamed .jpg is refused
        // by its size before it is read into memory.
        let limit = (self.config.max_pixels.saturating_mul(2)).max(32 << 20);
        if let Ok(m) = std::fs::metadata(&s.path)
            && m.len() > limit
        {
            return fail(
                Problem::new(
                    format!("图片文件太大：{:.0} MB", m.len() as f64 / 1e6),
                    "手机照片一般只有几 MB：请确认它是图片，把它缩小后再放进来",
                ),
                0,
                0,
            );
        }
        let hashed = match self.cache.file_hash(&s.path) {
            Ok(h) => h,
            Err(e) => {
                return fail(
                    Problem::new(format!("读不到图片文件：{e}"), "检查文件是否还在、能否打开"),
                    0,
                    0,
                );
            }
        };
        let manifest_key = self.manifest_key(hashed.hash, s);
        if let Some(o) = self.cached(&manifest_key, hashed.hash, s, &display) {
            return o;
        }
        let bytes = match hashed.bytes {
            Some(b) => b,
            None => match std::fs::read(&s.path) {
                Ok(b) => b,
                Err(e) => {
                    return fail(
                        Problem::new(format!("读不到图片文件：{e}"), "检查文件能否打开"),
                        0,
                        0,
                    );
                }
            },
        };
        let made = catch_unwind(AssertUnwindSafe(|| {
            make::make(&bytes, s.roles, &self.config, &self.budget)
        }));
        match made {
            Ok(Ok(made)) => self.store(&manifest_key, hashed.hash, s, &display, made),
            Ok(Err((p, line, col))) => fail(p, line, col),
            Err(_) => fail(
                Problem::new(
                    "处理这张图片时 zhibu 内部出错",
                    "请把图片另存为普通的 JPEG 或 PNG 后再试，并把原图报告给 zhibu 的维护者",
                ),
                0,
                0,
            ),
        }
    }

    fn settings(&self) -> [u8; 2] {
        [self.config.quality, u8::from(self.config.originals)]
    }

    fn manifest_key(&self, hash: u128, s: &Source) -> Key {
        Key::new(
            NAMESPACE,
            VERSION,
            &[
                &hash.to_le_bytes(),
                &self.settings(),
                &[s.roles.bits()],
                s.site_path.as_bytes(),
                &self.config.max_pixels.to_le_bytes(),
            ],
        )
    }

    fn blob_key(&self, hash: u128, spec: &str) -> Key {
        Key::new(
            NAMESPACE,
            VERSION,
            &[&hash.to_le_bytes(), &self.settings(), spec.as_bytes()],
        )
    }

    fn cached(&self, key: &Key, hash: u128, s: &Source, display: &Path) -> Option<Outcome> {
        let record = self.cache.get(key)?;
        let m: Manifest = serde_json::from_slice(&record).ok()?;
        let mut files = Vec::with_capacity(m.files.len());
        for f in &m.files {
            if f.spec.is_empty() {
                files.push(OutputFile::copy(f.path.clone(), s.path.clone()));
                continue;
            }
            let at = self
                .cache
                .blob(&self.blob_key(hash, &f.spec), &f.ext, f.len)?;
            files.push(OutputFile::copy(f.path.clone(), at));
        }
        Some(Outcome {
            set: Some(m.set),
            files,
            diagnostics: warnings(&m.warnings, display),
            cached: true,
        })
    }

    /// Names and stores the pieces, then the manifest.
    fn store(&self, key: &Key, hash: u128, s: &Source, display: &Path, made: Made) -> Outcome {
        let mut set = ImageSet {
            site_path: s.site_path.clone(),
            width: made.width,
            height: made.height,
            variants: Vec::new(),
            share: None,
            original: None,
            animated: made.animated,
            had_location: made.had_location,
        };
        let mut files = Vec::new();
        let mut stored = Vec::new();
        for piece in made.pieces {
            let Piece {
                what,
                width,
                height,
                format,
                bytes,
            } = piece;
            let ext = format.ext();
            let spec = match &what {
                Use::Sized(w) => format!("{w}w.{ext}"),
                Use::Share => format!("share.{ext}"),
                Use::Original => format!("original.{ext}"),
                Use::Source => String::new(),
            };
            let short = &self.blob_key(hash, &spec).hex()[..8];
            let path = match &what {
                Use::Sized(w) => routes::image_copy(&s.site_path, &format!("{w}w"), short, ext),
                Use::Share => routes::image_copy(&s.site_path, "share", short, ext),
                Use::Original if same_ext(&s.site_path, format) => s.site_path.clone(),
                Use::Original => routes::image_original(&s.site_path, ext),
                Use::Source => s.site_path.clone(),
            };
            let len = if what == Use::Source {
                std::fs::metadata(&s.path).map(|m| m.len()).unwrap_or(0)
            } else {
                bytes.len() as u64
            };
            let variant = Variant {
                path: path.clone(),
                width,
                height,
                format,
                bytes: len,
            };
            match what {
                Use::Sized(_) => set.variants.push(variant),
                Use::Share => set.share = Some(variant),
                Use::Original | Use::Source => set.original = Some(variant),
            }
            files.push(if spec.is_empty() {
                OutputFile::copy(path.clone(), s.path.clone())
            } else {
                match self
                    .cache
                    .put_blob(&self.blob_key(hash, &spec), ext, &bytes)
                {
                    Some(at) => OutputFile::copy(path.clone(), at),
                    None => OutputFile::bytes(path.clone(), bytes),
                }
            });
            stored.push(Stored {
                path,
                spec,
                ext: ext.to_string(),
                len,
            });
        }
        set.variants.sort_by_key(|v| v.width);
        if let Some(w) = made.share_of {
            set.share = set.variants.iter().find(|v| v.width == w).cloned();
        }
        let warns: Vec<(String, String)> = made
            .warnings
            .into_iter()
            .map(|p| (p.message, p.hint))
            .collect();
        let manifest = Manifest {
            set,
            files: stored,
            warnings: warns,
        };
        if self.cache.is_enabled()
            && let Ok(json) = serde_json::to_vec(&manifest)
        {
            self.cache.put(key, &json);
        }
        Outcome {
            diagnostics: warnings(&manifest.warnings, display),
            set: Some(manifest.set),
            files,
            cached: false,
        }
    }
}

fn warnings(list: &[(String, String)], display: &Path) -> Vec<Diagnostic> {
    list.iter()
        .map(|(m, h)| {
            Diagnostic::warning(m.clone())
                .in_file(display)
                .hint(h.clone())
        })
        .collect()
}

fn published_bytes(set: &ImageSet) -> u64 {
    // A share image that is one of the copies is published once.
    let share = set
        .share
        .iter()
        .filter(|s| !set.variants.iter().any(|v| v.path == s.path));
    set.variants
        .iter()
        .chain(share)
        .chain(set.original.iter())
        .map(|v| v.bytes)
        .sum()
}

/// Whether `site_path` already ends in an extension of `format`.
fn same_ext(site_path: &str, format: Format) -> bool {
    let ext = site_path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match format {
        Format::Jpeg => matches!(ext.as_str(), "jpg" | "jpeg" | "jfif"),
        f => ext == f.ext(),
    }
}
