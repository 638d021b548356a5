# bench/reform.R — the analyses of datasets/sample/plan.ini done in R, for
# bench/reform.sh:   Rscript bench/reform.R DATA_DIR OUT_DIR
#
# DATA_DIR is a `reformstat simulate` output (family, coordinators, registry,
# cases with their codebooks); OUT_DIR receives one CSV per analysis.  What
# each part does, and the R it mirrors in reformstat's commands:
#   describe            n, missing, mean, sd, quartiles (type 7) / counts      describe
#   indexes             item means after reverse coding with a minimum share  indexes
#                       answered; alpha by formula (psych::alpha's raw_alpha,
#                       pairwise covariances) overall and per wave; top-2-box;
#                       the data with the index columns written out (fwrite)
#   outcomes            before/after means with survey weights and kommune    outcomes
#                       clusters, overall, by coordinator type and by fylke,
#                       the difference with its design-based SE and t test,
#                       Holm within each group; Likert distributions
#   coordinator-effect  lm + sandwich::vcovCL (HC1) per index after the       coordinator-effect
#                       reform; contrast, MDE; DiD and event study with a
#                       Wald pre-trend test
#   caseload            ratios of sums with linearised SEs, Wilson shares,    caseload
#                       profession/training/fylke/kommune tables, index
#                       regressions (vcovHC HC3), Spearman; registry coverage
#   its                 national monthly rate, lm + NeweyWest; pooled over    its
#                       kommuner with kommune fixed effects, lm + vcovCL
#
# The survey-design estimates are the linearisation survey::svyby(svymean) and
# svyttest compute (PSUs with replacement, no strata), hand-coded on
# data.table aggregates: with 1,000,000 rows, 16 outcomes and 18 domains the
# survey package needs far more than the few minutes a bench may take (one
# svyby over fylke alone took minutes in a trial), and the estimator is the same.
suppressPackageStartupMessages({
  library(data.table)
  library(sandwich)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
out <- args[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
setDTthreads(0)
t0 <- proc.time()

cb_read <- function(name) fread(file.path(dir, name), colClasses = "character", na.strings = NULL, encoding = "UTF-8")
# Declared missing codes (8 "vet ikke") become NA.
apply_missing <- function(dt, cb) {
  for (i in seq_len(nrow(cb))) {
    m <- cb$missing[i]
    v <- cb$name[i]
    if (nzchar(m) && v %in% names(dt) && is.numeric(dt[[v]])) {
      codes <- as.numeric(strsplit(m, "|", fixed = TRUE)[[1]])
      set(dt, which(dt[[v]] %in% codes), v, NA)
    }
  }
  dt
}
# SSB symbols in registry counts: '-' zero, '*' suffix provisional, '.', '..', '...', ':' missing.
ssb_num <- function(x) {
  x <- sub("*", "", x, fixed = TRUE)
  x[x == "-"] <- "0"
  suppressWarnings(as.numeric(x))
}
index_items <- function(cb) {
  cb <- cb[nzchar(index)]
  split(cb, cb$index)
}
# Index scores: mean of the answered items after reverse coding, when at least min_share are answered.
index_scores <- function(dt, items, min_share = 0.5) {
  lo <- as.numeric(items$min[1]); hi <- as.numeric(items$max[1])
  X <- as.matrix(dt[, items$name, with = FALSE])
  rev <- items$reverse == "1"
  if (any(rev)) X[, rev] <- lo + hi - X[, rev]
  answered <- rowSums(!is.na(X))
  s <- rowMeans(X, na.rm = TRUE)
  s[answered < min_share * ncol(X)] <- NA
  list(score = s, X = X, hi = hi)
}
alpha_raw <- function(X) {
  C <- cov(X, use = "pairwise.complete.obs")
  k <- ncol(X)
  k / (k - 1) * (1 - sum(diag(C)) / sum(C))
}
wilson <- function(x, n, z = qnorm(0.975)) {
  p <- x / n
  c <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  h <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  c(p, c - h, c + h)
}
describe_num <- function(x) {
  q <- quantile(x, c(0, .25, .5, .75, 1), type = 7, na.rm = TRUE)
  data.table(n = sum(!is.na(x)), missing = sum(is.na(x)), mean = mean(x, na.rm = TRUE), sd = sd(x, na.rm = TRUE),
             min = q[1], q1 = q[2], median = q[3], q3 = q[4], max = q[5])
}

# ---- read ----------------------------------------------------------------------
fam <- fread(file.path(dir, "family.csv"), colClasses = list(character = c("respondent_id", "panel_id", "kommune", "fylke")))
cbf <- cb_read("family-codebook.csv")
fam <- apply_missing(fam, cbf)
coo <- fread(file.path(dir, "coordinators.csv"), colClasses = list(character = c("coordinator_id", "kommune", "fylke")))
cbc <- cb_read("coordinators-codebook.csv")
coo <- apply_missing(coo, cbc)
reg <- fread(file.path(dir, "registry.csv"), colClasses = "character")
for (v in c("year", "children_0_17", "children_services", "children_ip", "children_koordinator",
            "families_barnekoordinator", "coordinator_fte")) set(reg, j = v, value = ssb_num(reg[[v]]))
reg[, period := as.IDate(period)]
cas <- fread(file.path(dir, "cases.csv"), colClasses = list(character = c("case_id", "kommune", "fylke")), na.strings = c("", "."))

# ---- describe --------------------------------------------------------------------
d1 <- fam[, rbindlist(lapply(.SD, describe_num), idcol = "var"), by = post, .SDcols = c("child_age", "n_services")]
d1b <- fam[, .N, by = .(post, coordinator_type, diagnosis_group)]
d2 <- rbindlist(lapply(coo[, .(families, earmarked_hours, position_pct)], describe_num), idcol = "var")
d2b <- coo[, .N, by = .(profession, training)]
d3 <- rbindlist(lapply(reg[, .(children_0_17, children_koordinator, children_ip, families_barnekoordinator)], describe_num), idcol = "var")
d4 <- cas[, .N, by = .(case_type, subject)]
d4b <- describe_num(cas$processing_days)
fwrite(rbind(d1, cbind(post = NA, d2), cbind(post = NA, d3), fill = TRUE), file.path(out, "describe.csv"))

# ---- indexes -----------------------------------------------------------------------
indexes <- function(dt, cb, wave = "year", data_out = NULL) {
  res <- list()
  for (ix in index_items(cb)) {
    nm <- ix$index[1]
    s <- index_scores(dt, ix)
    set(dt, j = nm, value = s$score)
    a <- alpha_raw(s$X)
    aw <- sapply(split(seq_len(nrow(dt)), dt[[wave]]), function(r) alpha_raw(s$X[r, , drop = FALSE]))
    t2 <- colMeans(s$X >= s$hi - 1, na.rm = TRUE)
    res[[nm]] <- data.table(index = nm, n = sum(!is.na(s$score)), mean = mean(s$score, na.rm = TRUE),
                            sd = sd(s$score, na.rm = TRUE), alpha = a, alpha_waves = paste(round(aw, 4), collapse = " "),
                            top2 = mean(s$score >= s$hi - 1, na.rm = TRUE), top2_items = paste(round(t2, 4), collapse = " "))
  }
  if (!is.null(data_out)) fwrite(dt, data_out)
  rbindlist(res)
}
fwrite(indexes(fam, cbf, data_out = file.path(out, "family-indexes.csv")), file.path(out, "indexes.csv"))
fwrite(indexes(coo, cbc), file.path(out, "coordinator-indexes.csv"))

# ---- outcomes: before/after, design-based (weight, kommune clusters) -------------------
outcomes <- c(names(index_items(cbf)), cbf[type == "likert", name])
fam[, all := "all"]
n_psu <- uniqueN(fam$kommune)
svy_prepost <- function(y, g) {
  d <- fam[!is.na(get(y)), .(w = weight, y = get(y), post, g = get(g), kommune)]
  m <- d[, .(W = sum(w), m = sum(w * y) / sum(w), n = .N), by = .(g, post)]
  d <- m[d, on = .(g, post)]
  d[, z := w * (y - m) / W]
  # cluster totals of the influence values: each period's mean, and post - pre
  zc <- d[, .(z0 = sum(z[post == 0]), z1 = sum(z[post == 1])), by = .(g, kommune)]
  v <- zc[, .(v0 = (sum(z0^2) - sum(z0)^2 / n_psu), v1 = (sum(z1^2) - sum(z1)^2 / n_psu),
              vd = (sum((z1 - z0)^2) - sum(z1 - z0)^2 / n_psu), psu = .N), by = g]
  v[, c("v0", "v1", "vd") := lapply(.SD, function(x) x * n_psu / (n_psu - 1)), .SDcols = c("v0", "v1", "vd")]
  w <- dcast(m, g ~ post, value.var = c("m", "n"))
  r <- v[w, on = "g"]
  r[, `:=`(outcome = y, by = g, diff = m_1 - m_0, se = sqrt(vd))]
  r[, `:=`(t = diff / se, df = psu - 2)]
  r[, p := 2 * pt(-abs(t), df)]
  r[, .(outcome, by, group = g, n_0, mean_0 = m_0, se_0 = sqrt(v0), n_1, mean_1 = m_1, se_1 = sqrt(v1), diff,
        se, ci_low = diff - qt(.975, df) * se, ci_high = diff + qt(.975, df) * se, t, df, p)]
}
oc <- rbindlist(lapply(outcomes, function(y) rbindlist(lapply(c("all", "coordinator_type", "fylke"), function(g) svy_prepost(y, g)))))
oc[, kind := ifelse(outcome %in% names(index_items(cbf)), "index", "item")]
oc[, p_holm := p.adjust(p, "holm"), by = .(by, group, kind)]
fwrite(oc, file.path(out, "outcomes.csv"))
lik <- rbindlist(lapply(cbf[type == "likert", name], function(y)
  rbindlist(lapply(c("all", "coordinator_type", "fylke"), function(g)
    data.table(w = fam$weight, post = fam$post, a = fam[[y]], grp = fam[[g]])[!is.na(a),
      .(item = y, by = g, w = sum(w)), by = .(group = grp, post, answer = a)]))))
lik[, share := w / sum(w), by = .(item, by, group, post)]
fwrite(lik, file.path(out, "likert.csv"))

# ---- coordinator effect: lm + vcovCL, DiD, event study --------------------------------
ce <- list()
zmde <- qnorm(0.975) + qnorm(0.8)
for (ix in names(index_items(cbf))) {
  d <- fam[post == 1 & !is.na(get(ix))]
  f <- lm(reformulate(c("factor(coordinator_type)", "child_age", "factor(diagnosis_group)", "n_services", "factor(fylke)"), ix), data = d)
  V <- vcovCL(f, cluster = ~kommune, type = "HC1")
  b <- coef(f)
  cvec <- setNames(numeric(length(b)), names(b))
  cvec["factor(coordinator_type)2"] <- 1
  cvec["factor(coordinator_type)1"] <- -1
  est <- sum(cvec * b); se <- sqrt(drop(t(cvec) %*% V %*% cvec))
  ce[[length(ce) + 1]] <- data.table(index = ix, term = c("koordinator", "barnekoordinator", "barne - koord"),
                                     estimate = c(b[2], b[3], est), se = c(sqrt(diag(V))[2:3], se), mde = c(NA, NA, zmde * se))
  # DiD: treated = any coordinator, post x treated; event study against the last wave before the reform
  d <- fam[!is.na(get(ix))]
  d[, treated := as.integer(coordinator_type %in% c(1, 2))]
  d[, treated_post := treated * post]
  f <- lm(reformulate(c("treated", "factor(year)", "treated_post", "child_age", "factor(diagnosis_group)", "n_services", "factor(fylke)"), ix), data = d)
  V <- vcovCL(f, cluster = ~kommune, type = "HC1")
  ce[[length(ce) + 1]] <- data.table(index = ix, term = "did", estimate = coef(f)["treated_post"], se = sqrt(V["treated_post", "treated_post"]), mde = NA)
  pre_last <- max(d[post == 0, year])
  d[, ev := relevel(factor(ifelse(treated == 1, year, pre_last)), ref = as.character(pre_last))]
  f <- lm(reformulate(c("treated", "factor(year)", "ev", "child_age", "factor(diagnosis_group)", "n_services", "factor(fylke)"), ix), data = d)
  V <- vcovCL(f, cluster = ~kommune, type = "HC1")
  pre <- grep(paste0("^ev(", paste(setdiff(unique(d[post == 0, year]), pre_last), collapse = "|"), ")$"), names(coef(f)), value = TRUE)
  W <- drop(t(coef(f)[pre]) %*% solve(V[pre, pre]) %*% coef(f)[pre])
  ce[[length(ce) + 1]] <- data.table(index = ix, term = c(grep("^ev", names(coef(f)), value = TRUE), "pretrend_F"),
                                     estimate = c(coef(f)[grep("^ev", names(coef(f)))], W / length(pre)),
                                     se = c(sqrt(diag(V))[grep("^ev", names(coef(f)))], NA), mde = NA)
}
fwrite(rbindlist(ce), file.path(out, "coordinator-effect.csv"))

# ---- caseload ------------------------------------------------------------------------
ratio <- function(y, x) {  # ratio of sums with its linearised SE (svyratio, simple random sample)
  ok <- !is.na(y) & !is.na(x)
  y <- y[ok]; x <- x[ok]; n <- length(y)
  R <- sum(y) / sum(x)
  z <- (y - R * x) / sum(x)
  c(R, sqrt(n / (n - 1) * sum((z - mean(z))^2)))
}
cl <- list(
  per_coordinator = ratio(coo$families, rep(1, nrow(coo))),
  per_position = ratio(coo$families, coo$position_pct / 100),
  per_hour = ratio(coo$families, coo$earmarked_hours))
sh <- list(no_time = wilson(sum(coo$earmarked_hours == 0, na.rm = TRUE), sum(!is.na(coo$earmarked_hours))),
           position_under_20 = wilson(sum(coo$position_pct < 20, na.rm = TRUE), sum(!is.na(coo$position_pct))),
           over_10 = wilson(sum(coo$families > 10, na.rm = TRUE), sum(!is.na(coo$families))),
           over_15 = wilson(sum(coo$families > 15, na.rm = TRUE), sum(!is.na(coo$families))))
byp <- rbind(coo[, .(level = "profession", n = .N, families = sum(families)), by = .(group = as.character(profession))],
             coo[, .(level = "training", n = .N, families = sum(families)), by = .(group = as.character(training))],
             coo[, .(level = "fylke", n = .N, families = sum(families), per_position = sum(families) / sum(position_pct / 100),
                     no_time = mean(earmarked_hours == 0)), by = .(group = fylke)],
             coo[, .(level = "kommune", n = .N, families = sum(families), per_position = sum(families) / sum(position_pct / 100),
                     no_time = mean(earmarked_hours == 0)), by = .(group = kommune)], fill = TRUE)
regs <- list()
for (ix in names(index_items(cbc))) {
  f <- lm(reformulate(c("families", "earmarked_hours", "position_pct", "factor(training)"), ix), data = coo)
  V <- vcovHC(f, type = "HC3")
  sp <- sapply(c("families", "earmarked_hours", "position_pct"), function(v)
    suppressWarnings(cor.test(coo[[ix]], coo[[v]], method = "spearman")$estimate))
  regs[[ix]] <- data.table(index = ix, term = names(coef(f)), estimate = coef(f), se = sqrt(diag(V)),
                           spearman = paste(round(sp, 4), collapse = " "))
}
last <- max(reg[!is.na(children_koordinator), period])
r12 <- reg[period > seq(last, by = "-12 months", length.out = 2)[2] & period <= last]
cov_tab <- rbind(
  r12[!is.na(children_koordinator), .(level = "national", unit = "all", per_1000 = 1000 * sum(children_koordinator) / sum(children_0_17))],
  r12[!is.na(children_koordinator), .(level = "fylke", per_1000 = 1000 * sum(children_koordinator) / sum(children_0_17)), by = .(unit = fylke)],
  r12[!is.na(children_koordinator), .(level = "kommune", per_1000 = 1000 * sum(children_koordinator) / sum(children_0_17)), by = .(unit = kommune)],
  r12[!is.na(families_barnekoordinator), .(level = "national-bk", unit = "all", per_1000 = 1000 * sum(families_barnekoordinator) / sum(children_0_17))],
  r12[!is.na(families_barnekoordinator), .(level = "kommune-bk", per_1000 = 1000 * sum(families_barnekoordinator) / sum(children_0_17)), by = .(unit = kommune)])
fwrite(rbindlist(list(data.table(what = names(cl), t(sapply(cl, identity))), data.table(what = names(sh), t(sapply(sh, identity)))), fill = TRUE),
       file.path(out, "caseload.csv"))
fwrite(byp, file.path(out, "caseload-groups.csv"))
fwrite(rbindlist(regs), file.path(out, "caseload-regressions.csv"))
fwrite(cov_tab, file.path(out, "coverage.csv"))

# ---- its: national with Newey-West, pooled with kommune FE and vcovCL -------------------
brk <- as.IDate("2022-08-01")
nat <- reg[!is.na(children_koordinator) & !is.na(children_0_17), .(num = sum(children_koordinator), den = sum(children_0_17)), by = period][order(period)]
nat[, `:=`(rate = 1000 * num / den, t = as.numeric(period - brk) / 365.25, post = as.integer(period >= brk), month = factor(month(period)))]
nat[, t := (year(period) - 2022) + (month(period) - 8) / 12]
f <- lm(rate ~ t + post + post:t + month, data = nat)
lag <- floor(4 * (nrow(nat) / 100)^(2 / 9))
V <- NeweyWest(f, lag = lag, prewhite = FALSE, adjust = FALSE)
cf <- predict(f, newdata = transform(nat, post = 0))
its_nat <- data.table(term = names(coef(f)), estimate = coef(f), se = sqrt(diag(V)))
fwrite(data.table(period = nat$period, observed = nat$rate, fitted = fitted(f), counterfactual = cf), file.path(out, "its-counterfactual.csv"))
kp <- reg[!is.na(children_koordinator) & !is.na(children_0_17) & children_0_17 > 0]
kp[, `:=`(rate = 1000 * children_koordinator / children_0_17, post = as.integer(period >= brk))]
kp[, t := (year(period) - 2022) + (month(period) - 8) / 12]
f <- lm(rate ~ t + post + post:t + factor(kommune), data = kp, weights = children_0_17)
V <- vcovCL(f, cluster = ~kommune, type = "HC1")
keep <- c("t", "post", "t:post")
its_pool <- data.table(term = keep, estimate = coef(f)[keep], se = sqrt(diag(V))[keep])
fwrite(rbind(cbind(model = "national", its_nat), cbind(model = "pooled", its_pool)), file.path(out, "its.csv"))
cat(sprintf("reform.R: done in %.1f s\n", (proc.time() - t0)[["elapsed"]]), file = stderr())
