//! `zhibu new` and `zhibu init`: correctly shaped files to start from.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};

use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Lesson,
    Member,
    Activity,
    Notice,
}

/// Escapes a title for a double-quoted YAML string.
fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Creates a new content file and returns its path. Never overwrites.
pub fn new_content(
    root: &Path,
    kind: NewKind,
    title: &str,
    today: NaiveDate,
) -> Result<PathBuf, Diagnostic> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Diagnostic::error("请给出标题").hint("例如 zhibu new lesson \"党章第一课\""));
    }
    let slug = slugify(title);
    let date = today.format("%Y-%m-%d");
    let (path, text) = match kind {
        NewKind::Lesson => (
            root.join("content/lessons").join(format!("{slug}.md")),
            format!(
                "---\ntitle: {t}\ndate: {date}\nsummary: \ncourse: \norder: 1\nduration: 20\ntags: []\nquiz:\n  pass: 60\n  questions:\n    - type: single\n      question: 在这里写第一道题\n      options: [选项一, 选项二, 选项三, 选项四]\n      answer: A\n      explain: 在这里写答案解析\n---\n\n在这里写课程正文。\n\n## 第一部分\n\n",
                t = yaml_str(title)
            ),
        ),
        NewKind::Member => (
            root.join("content/members").join(format!("{slug}.md")),
            format!(
                "---\nname: {t}\nrole: 学生党员\nclass: \nhonors: []\nmotto: \nphoto: \n---\n\n在这里介绍这位同志的事迹。请不要写电话、学号、住址等个人信息。\n",
                t = yaml_str(title)
            ),
        ),
        NewKind::Activity => (
            root.join("content/activities")
                .join(format!("{date}-{slug}"))
                .join("index.md"),
            format!(
                "---\ntitle: {t}\ndate: {date} 14:00\nend: {date} 16:00\nkind: 主题党日\nlocation: 党员之家\nparticipants: []\nvolunteer_hours: 0\ntags: []\n---\n\n在这里写活动内容。照片放在这个文件夹里，会自动显示在相册中。\n",
                t = yaml_str(title)
            ),
        ),
        NewKind::Notice => (
            root.join("content/notices")
                .join(format!("{date}-{slug}.md")),
            notice_text(&yaml_str(title), title.contains("公示"), today),
        ),
    };
    if path.exists() {
        return Err(
            Diagnostic::error(format!("{} 已经存在，没有覆盖", path.display()))
                .hint("换一个标题，或直接编辑那个文件"),
        );
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(format!("无法创建 {}：{e}", dir.display())))?;
    }
    std::fs::write(&path, text)
        .map_err(|e| Diagnostic::error(format!("无法写入 {}：{e}", path.display())))?;
    Ok(path)
}

/// A notice: a 公示 (when the title says so) with a period of five
/// working days from today to check, else a 通知.
fn notice_text(title: &str, publicity: bool, today: NaiveDate) -> String {
    if publicity {
        let end = crate::parse::notice::add_working_days(today, 5);
        format!(
            "---\ntitle: {title}\ncategory: 公示\ndate: {today}\nstart: {today}\n# 公示期的最后一天：这里按 5 个工作日算，没有算节假日和调休，请核对\nend: {end}\ncontact: 支部组织委员（办公室电话，不要写个人手机号）\n---\n\n在这里写公示的对象、事由和公示期。\n\n公示期内如有意见，请通过上面的联系方式实名反映。\n"
        )
    } else {
        format!("---\ntitle: {title}\ncategory: 通知\ndate: {today}\n---\n\n在这里写通知的内容。\n")
    }
}

/// A new site with example content in `dir` (created if missing, must be empty).
pub fn init(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.join("site.toml").exists() {
        return Err(
            Diagnostic::error(format!("{} 里已经有 site.toml", dir.display()))
                .hint("zhibu init 只在空文件夹里新建站点"),
        );
    }
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        return Err(Diagnostic::error(format!("{} 不是空文件夹", dir.display()))
            .hint("换一个新文件夹名，例如 zhibu init my-branch"));
    }
    let past = today - Duration::days(20);
    let soon = today + Duration::days(10);
    let files: Vec<(String, String)> = vec![
        ("site.toml".into(), SITE_TOML.into()),
        (
            ".gitignore".into(),
            "/public/\n# zhibu 在 public/ 旁边用的隐藏文件夹\n/.public.zhibu-*/\n# 构建缓存（处理过的图片等），不要提交；CI 可以在两次运行之间保留它\n/.zhibu/\n".into(),
        ),
        ("content/_index.md".into(), HOME.into()),
        ("content/about.md".into(), ABOUT.into()),
        (
            "content/lessons/dang-zhang-di-yi-ke.md".into(),
            LESSON.replace("{date}", &past.to_string()),
        ),
        ("content/members/li-hua.md".into(), MEMBER.into()),
        (
            format!("content/activities/{past}-zhu-ti-dang-ri/index.md"),
            ACTIVITY_PAST.replace("{date}", &past.to_string()),
        ),
        (
            format!("content/activities/{soon}-zhi-yuan-fu-wu/index.md"),
            ACTIVITY_SOON.replace("{date}", &soon.to_string()),
        ),
        (
            format!("content/notices/{today}-zhi-yuan-zhe-zhao-mu.md"),
            NOTICE
                .replace("{date}", &today.to_string())
                .replace("{soon}", &soon.to_string()),
        ),
        (
            "content/plans/ben-yue-xue-xi-ren-wu.md".into(),
            PLAN.replace("{start}", &(today - Duration::days(5)).to_string())
                .replace("{due}", &(today + Duration::days(25)).to_string())
                .replace("{soon}", &soon.to_string()),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(&rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)
                .map_err(|e| Diagnostic::error(format!("无法创建 {}：{e}", d.display())))?;
        }
        std::fs::write(&p, text)
            .map_err(|e| Diagnostic::error(format!("无法写入 {}：{e}", p.display())))?;
        written.push(p);
    }
    Ok(written)
}

const SITE_TOML: &str = r#"# 站点配置。完整说明见 zhibu 的 README。
title = "我们的党支部"
description = "支部的学习课程、先锋模范和活动，向所有人公开。"
# 网站发布的地址；放在子路径下也可以，例如 https://www.example.edu.cn/dangjian/zhibu1/
base_url = "https://www.example.edu.cn/"
organization = ""

[home]
upcoming = 3
latest_activities = 6
featured_members = 4

[calendar]
# 「加入日历」的提醒：提前 1 天、1 小时；不要提醒写 alarms = []
alarms = ["1d", "1h"]

[privacy]
# 确需公开的个人信息（例如支部办公电话），逐项写在这里。
allow = []

[images]
# 照片会按用途缩小并去掉拍摄地点、相机型号等信息后发布。
quality = 80          # 发布的 JPEG 的质量（1–100）
originals = false     # 是否同时发布原图（同样去掉位置信息）
"#;

const HOME: &str = "---\ntitle: 首页\n---\n\n欢迎来到我们支部的网站。这里有支部的学习课程、先锋模范和活动记录，任何人都可以阅读。\n";

const ABOUT: &str = "---\ntitle: 关于支部\n---\n\n在这里介绍支部的基本情况：成立时间、党员人数、支部委员会分工和近年的主要工作。\n";

const LESSON: &str = r#"---
title: 党章第一课：党的性质和宗旨
date: {date}
course: 党章学习
order: 1
duration: 20
tags: [党章, 理论学习]
quiz:
  pass: 60
  questions:
    - type: single
      question: 中国共产党的根本宗旨是什么？
      options: [全心全意为人民服务, 实现共同富裕, 发展社会生产力, 建设现代化国家]
      answer: A
      explain: 党章总纲写明，党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益；全心全意为人民服务是党的根本宗旨。
    - type: judge
      question: 党的最高理想和最终目标是实现共产主义。
      answer: 对
---

## 学习要点

先通读党章总纲，再对照自己的学习和工作写下体会。
"#;

const MEMBER: &str = r#"---
name: 李华
role: 学生党员
class: 2022级新闻学
honors: [校级优秀共产党员]
motto: 把小事做好，就是不平凡。
---

李华同志担任班级学习委员，组织学习小组，带动同学共同进步。
"#;

const ACTIVITY_PAST: &str = r#"---
title: 主题党日：重温入党誓词
date: {date} 14:30
end: {date} 16:00
kind: 主题党日
location: 党员之家
participants: [li-hua]
tags: [主题党日]
---

全体党员面向党旗重温入党誓词，并交流学习体会。
"#;

const ACTIVITY_SOON: &str = r#"---
title: 社区志愿服务
date: {date} 09:00
end: {date} 11:30
kind: 志愿服务
location: 学校东门社区服务中心
volunteer_hours: 2.5
participants: [li-hua]
tags: [志愿服务]
---

为社区老人讲解智能手机的常用功能。欢迎党员和入党积极分子报名参加。
"#;

const NOTICE: &str = r#"---
# 通知公告写在 content/notices/ 里。公示写 category: 公示，并写明公示期：
# start: 第一天、end: 最后一天；党务公开写 category: 公开。
title: 关于招募社区志愿服务志愿者的通知
category: 通知
date: {date}
tags: [志愿服务]
---

支部将于 {soon} 上午到学校东门社区服务中心开展[社区志愿服务](@/activities/{soon}-zhi-yuan-fu-wu/index.md)，为社区老人讲解智能手机的常用功能。欢迎党员和入党积极分子报名参加。
"#;

const PLAN: &str = r#"---
title: 本月学习任务
start: {start}
due: {due}
items:
  - "@/lessons/dang-zhang-di-yi-ke.md"
  - page: "@/activities/{soon}-zhi-yuan-fu-wu/index.md"
    required: false
---

请在截止日期前学完党章第一课并通过课后测验。参加社区志愿服务的同志，活动后在本页标记完成。
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_have_pinyin_names_and_never_overwrite() {
        let d = std::env::temp_dir().join(format!("zhibu-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let today = NaiveDate::from_ymd_opt(2024, 5, 4).unwrap();
        let p = new_content(&d, NewKind::Lesson, "党章学习", today).unwrap();
        assert!(p.ends_with("content/lessons/dang-zhang-xue-xi.md"));
        let p = new_content(&d, NewKind::Activity, "五四 \"青年\" 节", today).unwrap();
        assert!(
            p.ends_with("content/activities/2024-05-04-wu-si-qing-nian-jie/index.md"),
            "{p:?}"
        );
        assert!(
            std::fs::read_to_string(&p)
                .unwrap()
                .contains("title: \"五四 \\\"青年\\\" 节\"")
        );
        assert!(new_content(&d, NewKind::Lesson, "党章学习", today).is_err());
        let p = new_content(&d, NewKind::Member, "张三", today).unwrap();
        assert!(p.ends_with("content/members/zhang-san.md"));
        let p = new_content(&d, NewKind::Notice, "关于拟发展张三同志的公示", today).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        // 2024-05-04 is a Saturday: Monday 6th to Friday 10th.
        assert!(
            text.contains("category: 公示") && text.contains("end: 2024-05-10"),
            "{text}"
        );
        let p = new_content(&d, NewKind::Notice, "学习通知", today).unwrap();
        assert!(
            std::fs::read_to_string(&p)
                .unwrap()
                .contains("category: 通知")
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
