//! The photos of one site model: every [`ImageSet`] the build made, by the
//! site path of its original, with the files it publishes. The model holds
//! it (`Site::images`, shared: a copy of the site copies a pointer); views
//! read a set through `deps::Tracked::image`, which records
//! `Dep::Image(key)`, and the route table lists each published file as a
//! `Route::Image(key, i)`. `serve` hands a new one to the live site when
//! its background processing is done (`serve/images.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::deps::{Key, key};
use crate::files::OutputFile;
use crate::images::{ImageSet, Processed, Variant};

/// One image's set and the files it publishes (copies, share image,
/// original when published), in a fixed order.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) set: Arc<ImageSet>,
    pub(crate) files: Vec<OutputFile>,
    /// A file of static/ this entry publishes instead of the static route:
    /// (the static file's index in the theme's order, the file's index).
    replaces: Option<(usize, usize)>,
}

/// Every image set of a site.
#[derive(Clone, Debug, Default)]
pub struct Published {
    by_key: FxHashMap<Key, Entry>,
    /// Keys in site-path order (the route table lists files in this order).
    order: Vec<Key>,
    /// True once every image the site shows has been processed (a build;
    /// `serve` after its background job). Until then, raster originals
    /// are published as they are so that a preview shows something.
    pub(crate) complete: bool,
    /// The static files (by index in the theme's order) whose stripped
    /// file an entry publishes, sorted.
    replaced: Vec<usize>,
    /// Stand-ins until the photos are complete (`serve`): for an image not
    /// processed yet, a set whose only file is the original, with the size
    /// its header states, so the page does not move when the copies come.
    /// Publishes nothing: the original goes out as it is meanwhile.
    pending: FxHashMap<Key, Arc<ImageSet>>,
}

impl Published {
    /// The sets and files of one [`Processed`] run. `statics` are the
    /// names of the theme's static files, in its order: a file published
    /// at one of those names (a photo of static/, stripped) takes the
    /// place of the static route, which would copy it as it is.
    pub(crate) fn new(done: Processed, statics: &[String]) -> Published {
        let mut files: HashMap<String, OutputFile> = done
            .files
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        let index: HashMap<&str, usize> = statics
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut by_key = FxHashMap::default();
        let mut order = Vec::new();
        let mut replaced = Vec::new();
        let sets: BTreeMap<String, ImageSet> = done.sets;
        for (path, set) in sets {
            let own: Vec<OutputFile> = paths_of(&set)
                .filter_map(|p| files.remove(p))
                .collect::<Vec<_>>();
            let replaces = index
                .get(path.as_str())
                .and_then(|&i| Some((i, own.iter().position(|f| f.path == path)?)));
            replaced.extend(replaces.map(|(i, _)| i));
            let k = key(&path);
            order.push(k);
            by_key.insert(
                k,
                Entry {
                    set: Arc::new(set),
                    files: own,
                    replaces,
                },
            );
        }
        replaced.sort_unstable();
        Published {
            by_key,
            order,
            complete: true,
            replaced,
            pending: FxHashMap::default(),
        }
    }

    /// The same, not complete, with stand-ins for the images in `files`
    /// (site path, file on disk) that have no set yet, sized from their
    /// headers (only the first bytes of each file are read, once).
    pub(crate) fn with_stand_ins(
        &self,
        files: impl Iterator<Item = (String, std::path::PathBuf)>,
    ) -> Published {
        let mut next = self.carried();
        for (site_path, source) in files {
            let k = key(&site_path);
            if next.by_key.contains_key(&k) || next.pending.contains_key(&k) {
                continue;
            }
            let Some((width, height)) = super::header::upright_size(&source) else {
                continue;
            };
            let format = super::Format::of_name(&site_path);
            let original = Variant {
                path: site_path.clone(),
                width,
                height,
                format,
                bytes: 0,
            };
            let set = ImageSet {
                site_path,
                width,
                height,
                variants: Vec::new(),
                share: None,
                original: Some(original),
                animated: false,
                had_location: false,
            };
            next.pending.insert(k, Arc::new(set));
        }
        next
    }

    /// The same sets for the next model of a live site, whose photos are
    /// processed again in the background: until then, an image without a
    /// set is published as it is.
    pub(crate) fn carried(&self) -> Published {
        Published {
            complete: false,
            ..self.clone()
        }
    }

    /// The set of the image published at `site_path`, if it was made (or
    /// its stand-in, until it is).
    pub(crate) fn get(&self, site_path: &str) -> Option<&Arc<ImageSet>> {
        self.by_key(key(site_path))
            .filter(|s| s.site_path == site_path)
    }

    /// Whether the copies of the image at `site_path` were made (its
    /// original is then never published as it is).
    pub(crate) fn made(&self, site_path: &str) -> bool {
        self.by_key
            .get(&key(site_path))
            .is_some_and(|e| e.set.site_path == site_path)
    }

    /// The set recorded as `Dep::Image(k)` (for comparing two models).
    pub(crate) fn by_key(&self, k: Key) -> Option<&Arc<ImageSet>> {
        self.by_key
            .get(&k)
            .map(|e| &e.set)
            .or_else(|| self.pending.get(&k))
    }

    /// Every published file, as (key, index in its entry). Until the
    /// photos are complete, static/ files go out as they are (a preview):
    /// their stripped files are left out here.
    pub(crate) fn routes(&self) -> impl Iterator<Item = (Key, usize)> + '_ {
        self.order.iter().flat_map(move |k| {
            let e = &self.by_key[k];
            let skip = e.replaces.filter(|_| !self.complete).map(|(_, f)| f);
            (0..e.files.len())
                .filter(move |&i| Some(i) != skip)
                .map(move |i| (*k, i))
        })
    }

    /// Whether the `i`-th static file of the theme is published by
    /// [`routes`](Self::routes), stripped, instead of as it is.
    pub(crate) fn replaces_static(&self, i: usize) -> bool {
        self.complete && self.replaced.binary_search(&i).is_ok()
    }

    /// File `i` of the set `k`.
    pub(crate) fn file(&self, k: Key, i: usize) -> Option<&OutputFile> {
        self.by_key.get(&k).and_then(|e| e.files.get(i))
    }
}

/// Two sites' image sets are the same when they hold equal sets.
impl PartialEq for Published {
    fn eq(&self, other: &Self) -> bool {
        self.complete == other.complete
            && self.order == other.order
            && self
                .by_key
                .iter()
                .all(|(k, e)| other.by_key.get(k).is_some_and(|o| o.set == e.set))
            && self.pending == other.pending
    }
}

/// The output paths of a set's files: copies by width, share, original.
fn paths_of(set: &ImageSet) -> impl Iterator<Item = &str> {
    set.variants
        .iter()
        .chain(set.share.iter())
        .chain(set.original.iter())
        .map(|v| v.path.as_str())
}
