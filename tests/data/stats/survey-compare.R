# survey-compare.R — where the design-based expected values in
# tests/test-compare.c (test_survey) and tests/compare.sh come from.
# Run with R 4.2.2 and survey 4.1.1 from tests/data/stats:
#   Rscript survey-compare.R    (not needed by make check)
# survey.csv (60 rows, 3 strata, 12 clusters, weights; one missing weight,
# two missing 'skaar', one missing 'gruppe', one missing 'fornoyd') was made by:
#   set.seed(20220801); n <- 60
#   stratum <- rep(c("nord","midt","sor"), each = 20); klynge <- rep(1:12, each = 5)
#   vekt <- round(runif(n, 0.5, 4), 2)
#   gruppe <- sample(c("barnekoordinator","koordinator"), n, replace = TRUE)
#   tre <- sample(c("barnekoordinator","koordinator","ingen"), n, replace = TRUE)
#   skaar <- round(3 + 0.6*(gruppe=="koordinator") + rep(rnorm(12, 0, 0.5), each=5) + rnorm(n), 1)
#   fornoyd <- sample(c("lite","noe","mye"), n, replace = TRUE, prob = c(.3,.4,.3))
#   skaar[c(7, 33)] <- NA; gruppe[15] <- NA; fornoyd[41] <- NA; vekt[52] <- NA
#   write.csv(data.frame(id = 1:n, stratum, klynge, vekt, gruppe, tre, skaar, fornoyd),
#             "survey.csv", row.names = FALSE, na = "", quote = FALSE)
# svydesign refuses a missing weight and svyglm/svychisq drop rows with NA,
# so every design is built on the complete cases of the columns used.
suppressMessages(library(survey))
options(digits = 17)
p <- function(label, v) cat(label, ":", paste(format(v, digits = 17), collapse = ", "), "\n")
d <- read.csv("survey.csv", na.strings = "")
cc <- function(...) d[complete.cases(d[, c(..., "vekt")]), ]
des <- function(dd) svydesign(ids = ~klynge, strata = ~stratum, weights = ~vekt, data = dd)
# two groups; levels reversed so that svyttest's "difference in mean" is
# barnekoordinator - koordinator, reformstat's "barnekoordinator vs koordinator"
d1 <- des(cc("skaar", "gruppe"))
d1 <- update(d1, g2 = factor(gruppe, levels = c("koordinator", "barnekoordinator")))
r <- svyttest(skaar ~ g2, d1)
p("svyttest n", nrow(d1$variables))
p("svyttest estimate, t, df, p", c(r$estimate, r$statistic, r$parameter, r$p.value))
p("svyttest conf.int", r$conf.int)
p("SE(svyglm(skaar ~ g2, d1))[2]", SE(svyglm(skaar ~ g2, d1))[2])
b <- svyby(~skaar, ~gruppe, d1, svymean)
p("svyby(~skaar, ~gruppe, d1, svymean) mean", coef(b)); p("... SE", SE(b))
# three groups
d3 <- des(cc("skaar", "tre"))
rt <- regTermTest(svyglm(skaar ~ factor(tre), d3), ~factor(tre))
p("regTermTest n", nrow(d3$variables))
p("regTermTest F, df, ddf, p", c(rt$Ftest, rt$df, rt$ddf, rt$p))
b3 <- svyby(~skaar, ~tre, d3, svymean)
p("svyby(~skaar, ~tre, d3, svymean) mean", coef(b3)); p("... SE", SE(b3))
# categorical outcome
dc <- des(cc("fornoyd", "tre"))
x <- svychisq(~fornoyd + tre, dc)
p("svychisq(~fornoyd + tre, dc) n", nrow(dc$variables))
p("svychisq(~fornoyd + tre, dc) F, ndf, ddf, p", c(x$statistic, x$parameter, x$p.value))
dc2 <- des(cc("fornoyd", "gruppe"))
x <- svychisq(~fornoyd + gruppe, dc2)
p("svychisq(~fornoyd + gruppe, dc2) F, ndf, ddf, p", c(x$statistic, x$parameter, x$p.value))
bp <- svyby(~fornoyd, ~tre, dc, svymean)
p("svyby(~fornoyd, ~tre, dc, svymean) barnekoordinator lite, mye, noe", coef(bp)[c(1, 4, 7)])
p("... SE", unlist(SE(bp)[1, ]))
