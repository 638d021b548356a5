# reference.R — expected values of tests/test-reform-effect.c, from R.
# Run: Rscript tests/data/effect/reference.R (from the source tree); needs sandwich, car.
# family.csv = every 5th row of datasets/sample/family.csv (awk 'NR==1 || (NR-2)%5==0').
suppressMessages({library(sandwich); library(car)})
options(digits = 17)
d <- read.csv("tests/data/effect/family.csv", colClasses = c(kommune = "character", fylke = "character"))
cb <- read.csv("tests/data/effect/family-codebook.csv")
idx <- function(name) {
  items <- cb[!is.na(cb$index) & cb$index == name, ]
  m <- sapply(seq_len(nrow(items)), function(j) {
    x <- d[[items$name[j]]]; x[x == 8] <- NA
    if (items$reverse[j] == 1) x <- items$min[j] + items$max[j] - x
    x })
  ok <- rowSums(!is.na(m)) >= 0.5 * ncol(m)
  ifelse(ok, rowMeans(m, na.rm = TRUE), NA)
}
for (i in c("collaboration", "information", "listened", "burden")) d[[i]] <- idx(i)
d$koordinator <- as.numeric(d$coordinator_type == 1)
d$barnekoordinator <- as.numeric(d$coordinator_type == 2)
d$treated <- as.numeric(d$coordinator_type != 0)
d$treated_post <- d$treated * d$post
for (w in c(2019, 2020, 2023, 2024, 2025)) d[[paste0("ev_", w)]] <- d$treated * (d$year == w)
cov <- "+ child_age + factor(diagnosis_group) + n_services + factor(fylke)"
show <- function(...) cat(sprintf("%s = %.17g\n", c(...)[1], as.numeric(c(...)[2])))
z <- qnorm(0.975) + qnorm(0.8)
for (i in c("collaboration", "burden")) {
  cat("##", i, "\n")
  post <- d[d$post == 1, ]
  fit <- lm(as.formula(paste(i, "~ koordinator + barnekoordinator", cov)), data = post)
  V <- vcovCL(fit, cluster = ~kommune, type = "HC1")
  b <- coef(fit)
  cat(sprintf("n = %d df = %d\n", nobs(fit), fit$df.residual))
  for (k in c("koordinator", "barnekoordinator")) cat(sprintf("%s b = %.17g se = %.17g\n", k, b[k], sqrt(V[k, k])))
  est <- b["barnekoordinator"] - b["koordinator"]
  se <- sqrt(V["barnekoordinator", "barnekoordinator"] + V["koordinator", "koordinator"] - 2 * V["barnekoordinator", "koordinator"])
  lh <- linearHypothesis(fit, "barnekoordinator - koordinator = 0", vcov. = V, test = "F")
  cat(sprintf("bk-k est = %.17g se = %.17g p = %.17g (linearHypothesis F p = %.17g)\n", est, se,
              2 * pt(-abs(est / se), fit$df.residual), lh[2, "Pr(>F)"]))
  cat(sprintf("bk-k ci = %.17g %.17g\n", est - qt(0.975, fit$df.residual) * se, est + qt(0.975, fit$df.residual) * se))
  cat(sprintf("MDE = (qnorm(0.975) + qnorm(0.8)) * se = %.17g\n", z * se))
  did <- lm(as.formula(paste(i, "~ treated + factor(year) + treated_post", cov)), data = d)
  Vd <- vcovCL(did, cluster = ~kommune, type = "HC1")
  cat(sprintf("DiD n = %d b = %.17g se = %.17g df = %d\n", nobs(did), coef(did)["treated_post"],
              sqrt(Vd["treated_post", "treated_post"]), did$df.residual))
  ev <- lm(as.formula(paste(i, "~ treated + factor(year) + ev_2019 + ev_2020 + ev_2023 + ev_2024 + ev_2025", cov)), data = d)
  Ve <- vcovCL(ev, cluster = ~kommune, type = "HC1")
  for (w in c(2019, 2020, 2023, 2024, 2025)) {
    k <- paste0("ev_", w)
    cat(sprintf("event %d b = %.17g se = %.17g\n", w, coef(ev)[k], sqrt(Ve[k, k])))
  }
  lf <- linearHypothesis(ev, c("ev_2019 = 0", "ev_2020 = 0"), vcov. = Ve, test = "F")
  lc <- linearHypothesis(ev, c("ev_2019 = 0", "ev_2020 = 0"), vcov. = Ve, test = "Chisq")
  cat(sprintf("pretrend F = %.17g df2 = %d p = %.17g chisq = %.17g p = %.17g\n", lf[2, "F"], lf[2, "Res.Df"],
              lf[2, "Pr(>F)"], lc[2, "Chisq"], lc[2, "Pr(>Chisq)"]))
}
# Row subset (rs_reform_effect_options.rows): the rows with year != 2020 (one earlier pre wave: q = 1)
cat("## subset year != 2020, collaboration\n")
s <- d[d$year != 2020, ]
fit <- lm(as.formula(paste("collaboration ~ koordinator + barnekoordinator", cov)), data = s[s$post == 1, ])
V <- vcovCL(fit, cluster = ~kommune, type = "HC1"); b <- coef(fit)
cat(sprintf("bk-k est = %.17g se = %.17g\n", b["barnekoordinator"] - b["koordinator"],
            sqrt(V["barnekoordinator", "barnekoordinator"] + V["koordinator", "koordinator"] - 2 * V["barnekoordinator", "koordinator"])))
ev <- lm(as.formula(paste("collaboration ~ treated + factor(year) + ev_2019 + ev_2023 + ev_2024 + ev_2025", cov)), data = s)
Ve <- vcovCL(ev, cluster = ~kommune, type = "HC1")
lf <- linearHypothesis(ev, "ev_2019 = 0", vcov. = Ve, test = "F")
cat(sprintf("event 2019 b = %.17g se = %.17g F = %.17g df2 = %d p = %.17g\n", coef(ev)["ev_2019"], sqrt(Ve["ev_2019", "ev_2019"]),
            lf[2, "F"], lf[2, "Res.Df"], lf[2, "Pr(>F)"]))
did <- lm(as.formula(paste("collaboration ~ treated + factor(year) + treated_post", cov)), data = s)
Vd <- vcovCL(did, cluster = ~kommune, type = "HC1")
cat(sprintf("DiD b = %.17g se = %.17g\n", coef(did)["treated_post"], sqrt(Vd["treated_post", "treated_post"])))
