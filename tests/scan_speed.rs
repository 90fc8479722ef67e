//! A micro-check of the gate's scanning speed on typical pages (ignored by
//! default; run with `cargo test --release --test scan_speed -- --ignored
//! --nocapture`). It prints MB/s for a rendered Chinese page, a plain
//! Chinese Markdown plan and an ASCII CSV table; `docs/performance.md`
//! explains the fast path it measures.

use std::time::Instant;

fn page() -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>下龙井村</title>\
         <link rel=\"stylesheet\" href=\"../../style.css\"></head><body><header class=\"site-header\">\
         <a href=\"../../index.html\">河西县村务公开</a></header><main>",
    );
    for i in 0..120 {
        html.push_str(&format!(
            "<section><h2 id=\"p{i}\">第{i}项 村组道路硬化</h2><p>硬化村组道路 5 条，共 2,850 平方米，\
             总投资 16.{i:02} 万元，2020-03-15 开工，<strong>3月中旬</strong>完成。咨询请拨打 12317。</p>\
             <table><tr><th>资金来源</th><td class=\"num\">6.30</td><td>{i}</td></tr></table></section>\n"
        ));
    }
    html.push_str("</main></body></html>");
    html
}

fn plan() -> String {
    "## 主要任务\n\n硬化村组道路 5 条，共 2,850 平方米，总投资 16.30 万元，2020-03-15 开工。\
     防返贫监测对象不申请、不宣传、不公示（“三不”）。\n\n| 资金来源 | 金额（万元） |\n|:--|--:|\n| 群众筹资投劳 | 6.30 |\n"
        .repeat(100)
}

fn csv() -> String {
    "id,name,area,year,total,villagers,fiscal\r\nxialongjing-road,road,xialongjing,2020,16.30,6.30,10.00\r\n"
        .repeat(300)
}

#[test]
#[ignore]
fn scan_speed() {
    for (name, text) in [("html page", page()), ("plan", plan()), ("csv", csv())] {
        let n = 2000;
        let start = Instant::now();
        let mut found = 0;
        for _ in 0..n {
            found += cunwu::gate::scan::scan_bytes(std::hint::black_box(text.as_bytes())).len();
        }
        let secs = start.elapsed().as_secs_f64();
        let mb = (text.len() * n) as f64 / 1e6;
        println!(
            "{name}: {} bytes, {:.1} µs each, {:.0} MB/s ({found} found)",
            text.len(),
            secs * 1e6 / n as f64,
            mb / secs
        );
    }
}
