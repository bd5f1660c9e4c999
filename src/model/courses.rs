//! Courses (系列课程): lessons grouped by their `course`, ordered by `order`
//! then date, each lesson knowing its neighbours.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::{Course, Page, PageId, SectionText};

use crate::slug::slugify;

/// A course described by a file in content/courses/.
pub struct CourseDescription {
    pub slug: String,
    pub text: SectionText,
    pub weight: Option<i64>,
}

/// A lesson's place in its course.
pub struct LessonPlace {
    pub id: PageId,
    /// Index into the courses as returned.
    pub course: usize,
    /// 1-based.
    pub position: usize,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
}

/// Groups lessons into courses; returns the courses in display order and
/// each lesson's place.
pub fn build(
    pages: &[Arc<Page>],
    lessons: &[PageId],
    descriptions: Vec<CourseDescription>,
) -> (Vec<Course>, Vec<LessonPlace>) {
    let mut courses = group(pages, lessons, descriptions);
    let mut places = order_lessons(pages, &mut courses);
    let order = display_order(pages, &courses);
    let mut remap = vec![0; courses.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    for p in &mut places {
        p.course = remap[p.course];
    }
    let mut sorted: Vec<Option<Course>> = courses.into_iter().map(Some).collect();
    let courses = order.iter().filter_map(|&i| sorted[i].take()).collect();
    (courses, places)
}

/// The described courses, then one per course name the lessons use.
fn group(
    pages: &[Arc<Page>],
    lessons: &[PageId],
    descriptions: Vec<CourseDescription>,
) -> Vec<Course> {
    let mut courses: Vec<Course> = descriptions
        .into_iter()
        .map(|d| Course {
            name: d.text.title.clone(),
            slug: d.slug.clone(),
            path: crate::routes::course(&d.slug),
            lessons: Vec::new(),
            summary: d.text.summary.clone(),
            cover: d.text.cover.clone(),
            description: Some(d.text),
            weight: d.weight,
            total_minutes: 0,
            quizzes: 0,
        })
        .collect();

    // Thousands of lessons share a few course names: each name is looked up once.
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for &id in lessons {
        let Some(name) = pages[id]
            .lesson
            .as_ref()
            .and_then(|l| l.course_name.as_deref())
        else {
            continue;
        };
        if let Some(&idx) = index_of.get(name) {
            courses[idx].lessons.push(id);
            continue;
        }
        let wanted = slugify(name);
        let idx = courses
            .iter()
            .position(|c| c.name == name || c.slug == name || c.slug == wanted)
            .unwrap_or_else(|| {
                let slug = unique_slug(&courses, &wanted);
                courses.push(Course {
                    name: name.to_string(),
                    path: crate::routes::course(&slug),
                    slug,
                    lessons: Vec::new(),
                    description: None,
                    summary: String::new(),
                    cover: None,
                    weight: None,
                    total_minutes: 0,
                    quizzes: 0,
                });
                courses.len() - 1
            });
        index_of.insert(name, idx);
        courses[idx].lessons.push(id);
    }
    courses
}

/// Sorts each course's lessons by `order`, then date, then title; fills in
/// the totals; returns each lesson's place.
fn order_lessons(pages: &[Arc<Page>], courses: &mut [Course]) -> Vec<LessonPlace> {
    let mut places = Vec::new();
    for (ci, course) in courses.iter_mut().enumerate() {
        course.lessons.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            let oa = pa.lesson.as_ref().and_then(|l| l.order).unwrap_or(i64::MAX);
            let ob = pb.lesson.as_ref().and_then(|l| l.order).unwrap_or(i64::MAX);
            (oa, pa.date.map(|d| d.at), &pa.title).cmp(&(ob, pb.date.map(|d| d.at), &pb.title))
        });
        let n = course.lessons.len();
        for (i, &id) in course.lessons.iter().enumerate() {
            let prev = (i > 0).then(|| course.lessons[i - 1]);
            let next = (i + 1 < n).then(|| course.lessons[i + 1]);
            places.push(LessonPlace {
                id,
                course: ci,
                position: i + 1,
                prev,
                next,
            });
            course.total_minutes += pages[id]
                .lesson
                .as_ref()
                .and_then(|l| l.duration)
                .unwrap_or(0);
            course.quizzes += usize::from(pages[id].quiz().is_some());
        }
        if course.summary.is_empty() {
            course.summary = format!("共 {n} 课");
        }
        if course.cover.is_none() {
            course.cover = course
                .lessons
                .iter()
                .find_map(|&id| pages[id].cover.clone());
        }
    }

    places
}

/// Display order: weight, then the date of the first lesson, then name.
fn display_order(pages: &[Arc<Page>], courses: &[Course]) -> Vec<usize> {
    let first_date: BTreeMap<String, Option<chrono::DateTime<chrono::FixedOffset>>> = courses
        .iter()
        .map(|c| {
            (
                c.slug.clone(),
                c.lessons
                    .iter()
                    .filter_map(|&id| pages[id].date.map(|d| d.at))
                    .min(),
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..courses.len()).collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (&courses[a], &courses[b]);
        (
            ca.weight.unwrap_or(i64::MAX),
            first_date[&ca.slug],
            &ca.name,
        )
            .cmp(&(
                cb.weight.unwrap_or(i64::MAX),
                first_date[&cb.slug],
                &cb.name,
            ))
    });
    order
}

fn unique_slug(courses: &[Course], wanted: &str) -> String {
    let mut slug = wanted.to_string();
    let mut n = 2;
    while courses.iter().any(|c| c.slug == slug) {
        slug = format!("{wanted}-{n}");
        n += 1;
    }
    slug
}
