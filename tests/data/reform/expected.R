# expected.R — where the expected values in tests/test-reform.c come from
# (R 4.2.2, survey 4.1.1, psych).  Run in tests/data/reform: Rscript expected.R
# The test suite never runs R; the values are copied into the test with
# the call that produced each of them.
suppressMessages({library(survey); library(psych)})
options(digits = 17)
d <- read.csv("family.csv", colClasses = c(kommune = "character", fylke = "character"))
items <- c("collab_1", "collab_2", "collab_3", "info_1", "info_2", "info_3")
for (v in items) d[[v]][!is.na(d[[v]]) & d[[v]] == 8] <- NA      # 8 = "Vet ikke", a missing code
rv <- function(x) 1 + 5 - x                                            # reverse = 1: min + max - x
C <- cbind(d$collab_1, d$collab_2, rv(d$collab_3))
I <- cbind(d$info_1, d$info_2, rv(d$info_3))
idx <- function(m) ifelse(rowSums(!is.na(m)) >= 2, rowMeans(m, na.rm = TRUE), NA)  # >= 50 % of 3 items
d$collaboration <- idx(C); d$information <- idx(I)
p <- function(...) cat(sprintf("%-60s %.17g\n", paste0(...), c(...)[length(c(...))]))
show <- function(label, x) cat(sprintf("%-70s %.17g\n", label, x))
show("sum(collaboration, na.rm=TRUE)", sum(d$collaboration, na.rm = TRUE))
show("sum(!is.na(collaboration))", sum(!is.na(d$collaboration)))
show("collaboration[1]", d$collaboration[1])
show("mean(collaboration, na.rm=TRUE)", mean(d$collaboration, na.rm = TRUE))
show("sd(collaboration, na.rm=TRUE)", sd(d$collaboration, na.rm = TRUE))
show("alpha(C)$total$raw_alpha", alpha(C, warnings = FALSE)$total$raw_alpha)
show("alpha(I)$total$raw_alpha", alpha(I, warnings = FALSE)$total$raw_alpha)
for (y in sort(unique(d$year))) show(paste0("alpha(C[year==", y, ",])$total$raw_alpha"),
                                     alpha(C[d$year == y, ], warnings = FALSE)$total$raw_alpha)
show("mean(collaboration >= 4, na.rm=TRUE)", mean(d$collaboration >= 4, na.rm = TRUE))
show("mean(rv(collab_3) >= 4, na.rm=TRUE)", mean(rv(d$collab_3) >= 4, na.rm = TRUE))
show("mean(info_2 >= 4, na.rm=TRUE)", mean(d$info_2 >= 4, na.rm = TRUE))
# Welch
for (v in c("collaboration", "information", items)) {
  a <- d[[v]][d$post == 1]; b <- d[[v]][d$post == 0]
  tt <- t.test(a, b)
  show(paste0("t.test(", v, "[post==1], ", v, "[post==0]) estimate diff"), mean(a, na.rm=TRUE) - mean(b, na.rm=TRUE))
  show(paste0("  statistic"), tt$statistic); show("  parameter", tt$parameter); show("  p.value", tt$p.value)
  show("  conf.int[1]", tt$conf.int[1]); show("  conf.int[2]", tt$conf.int[2])
  show(paste0("  t.test(", v, "[post==0])$conf.int[1]"), t.test(b)$conf.int[1])
}
pw <- sapply(items, function(v) t.test(d[[v]][d$post == 1], d[[v]][d$post == 0])$p.value)
print(p.adjust(pw, "holm")); print(p.adjust(pw, "BH"))
# design-based: clusters = kommune, weights
des <- svydesign(ids = ~kommune, weights = ~weight, data = d)
for (v in c("collaboration", "collab_3")) {
  f <- as.formula(paste0("~", v))
  print(svyby(f, ~post, des, svymean, na.rm = TRUE))
  st <- svyttest(as.formula(paste0(v, " ~ post")), des)
  show(paste0("svyttest(", v, " ~ post, des)$estimate"), st$estimate)
  show("  statistic", st$statistic); show("  parameter", st$parameter); show("  p.value", st$p.value)
  show("  conf.int[1]", st$conf.int[1]); show("  conf.int[2]", st$conf.int[2])
}
# a domain: coordinator_type == 1 (koordinator)
dk <- subset(des, coordinator_type == 1)
print(svyby(~collaboration, ~post, dk, svymean, na.rm = TRUE))
st <- svyttest(collaboration ~ post, dk)
show("svyttest(collaboration ~ post, subset(des, coordinator_type == 1))$estimate", st$estimate)
show("  statistic", st$statistic); show("  parameter", st$parameter); show("  p.value", st$p.value)
show("  conf.int[1]", st$conf.int[1]); show("  conf.int[2]", st$conf.int[2])
# holm across the 6 items, design-based, overall
pd <- sapply(items, function(v) svyttest(as.formula(paste0(v, " ~ post")), des)$p.value)
print(pd); print(p.adjust(pd, "holm")); print(p.adjust(pd, "BH"))
# a category outcome: the share with coordinator_type == 1 (koordinator)
k1 <- d$coordinator_type == 1
pt <- prop.test(c(sum(k1[d$post == 1]), sum(k1[d$post == 0])), c(sum(d$post == 1), sum(d$post == 0)), correct = FALSE)
show("prop.test(c(x1, x0), c(n1, n0), correct = FALSE) estimate p1 - p0", pt$estimate[1] - pt$estimate[2])
show("  statistic", pt$statistic); show("  p.value", pt$p.value)
show("  conf.int[1]", pt$conf.int[1]); show("  conf.int[2]", pt$conf.int[2])
show("prop.test(x0, n0, correct = FALSE)$conf.int[1]", prop.test(sum(k1[d$post == 0]), sum(d$post == 0), correct = FALSE)$conf.int[1])
desk <- update(des, k1 = as.numeric(coordinator_type == 1))
print(svyby(~k1, ~post, desk, svymean))
st <- svyttest(k1 ~ post, desk)
show("svyttest(k1 ~ post, des)$estimate", st$estimate); show("  p.value", st$p.value)
# a row subset: the design on the first 100 rows only
d100 <- svydesign(ids = ~kommune, weights = ~weight, data = d[1:100, ])
print(svyby(~information, ~post, d100, svymean, na.rm = TRUE))
st <- svyttest(information ~ post, d100)
show("svyttest(information ~ post, svydesign(..., data = d[1:100, ]))$estimate", st$estimate)
show("  parameter", st$parameter); show("  p.value", st$p.value)
show("  conf.int[1]", st$conf.int[1]); show("  conf.int[2]", st$conf.int[2])
# no weights, clusters only (every row weighs 1)
dc <- svydesign(ids = ~kommune, data = d)
st <- svyttest(collaboration ~ post, dc)
show("svyttest(collaboration ~ post, svydesign(ids = ~kommune, data = d))$estimate", st$estimate)
show("  p.value", st$p.value); show("  conf.int[1]", st$conf.int[1])
# weighted Likert distribution (--likert-out with --weight): percent of the summed weights
show("100 * prop.table(svytable(~collab_1, des))[1]", 100 * prop.table(svytable(~collab_1, des))[1])
show("100 * prop.table(svytable(~collab_1, subset(des, post == 1)))[5]", 100 * prop.table(svytable(~collab_1, subset(des, post == 1)))[5])
