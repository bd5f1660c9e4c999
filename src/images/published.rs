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
use crate::images::{ImageSet, Processed};

/// One image's set and the files it publishes (copies, share image,
/// original when published), in a fixed order.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) set: Arc<ImageSet>,
    pub(crate) files: Vec<OutputFile>,
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
}

impl Published {
    /// The sets and files of one [`Processed`] run. A file at the path of
    /// a file of static/ (`in_static`: the original of a photo there, with
    /// `originals = true`) is left to the static route, which publishes
    /// static/ as it is.
    pub(crate) fn new(done: Processed, in_static: &dyn Fn(&str) -> bool) -> Published {
        let mut files: HashMap<String, OutputFile> = done
            .files
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        let mut by_key = FxHashMap::default();
        let mut order = Vec::new();
        let sets: BTreeMap<String, ImageSet> = done.sets;
        for (path, set) in sets {
            let own: Vec<OutputFile> = paths_of(&set)
                .filter(|p| !in_static(p))
                .filter_map(|p| files.remove(p))
                .collect::<Vec<_>>();
            let k = key(&path);
            order.push(k);
            by_key.insert(
                k,
                Entry {
                    set: Arc::new(set),
                    files: own,
                },
            );
        }
        Published {
            by_key,
            order,
            complete: true,
        }
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

    /// The set of the image published at `site_path`, if it was made.
    pub(crate) fn get(&self, site_path: &str) -> Option<&Arc<ImageSet>> {
        self.by_key
            .get(&key(site_path))
            .map(|e| &e.set)
            .filter(|s| s.site_path == site_path)
    }

    /// The set recorded as `Dep::Image(k)` (for comparing two models).
    pub(crate) fn by_key(&self, k: Key) -> Option<&Arc<ImageSet>> {
        self.by_key.get(&k).map(|e| &e.set)
    }

    /// Every published file, as (key, index in its entry).
    pub(crate) fn routes(&self) -> impl Iterator<Item = (Key, usize)> + '_ {
        self.order
            .iter()
            .flat_map(|k| (0..self.by_key[k].files.len()).map(move |i| (*k, i)))
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
