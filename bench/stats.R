# bench/stats.R — the R side of bench/stats.sh, and the agreement check.
#
# Usage: Rscript bench/stats.R FAMILY.csv CODEBOOK.csv RS_REGRESS.csv RS_COMPARE.csv RS_DESCRIBE.csv
# Reads the family survey once (data.table::fread), sets the codebook's
# missing codes to NA, then times, each with system.time():
#   regress   lm(collab_1 ~ <6 covariates> + factor(kommune)) and
#             sandwich::vcovCL(f, cluster = ~kommune, type = "HC1")
#   welch     t.test(collab_1 ~ post)
#   describe  survey::svyby(~collab_1, ~fylke, svydesign(ids = ~1, weights = ~weight), svymean, na.rm = TRUE)
# and prints "TIME <task> <seconds>" lines for stats.sh.  Then (untimed)
# compares reformstat's CSV outputs with R's: the 6 coefficients and their
# cluster-robust SEs, the Welch t, df and mean difference, and the weighted
# mean and SE of every fylke, to 1e-8 relative; prints "AGREE <what> <max
# relative difference>" and exits 1 when something disagrees.
suppressPackageStartupMessages({
  library(data.table); library(sandwich); library(survey)
})
a <- commandArgs(trailingOnly = TRUE)
stopifnot(length(a) == 5)
covs <- c("post", "coordinator_type", "child_age", "n_services", "diagnosis_group", "hours_admin")
tm <- function(task, expr) {
  t <- system.time(v <- force(expr))[["elapsed"]]
  cat(sprintf("TIME %s %.3f\n", task, t)); flush(stdout())
  v
}
say <- function(...) { cat(sprintf(...), "\n", sep = ""); flush(stdout()) }

d <- tm("r_read", {
  d <- fread(a[1], colClasses = list(character = c("kommune", "fylke")), showProgress = FALSE)
  cb <- read.csv(a[2], colClasses = "character")
  for (k in seq_len(nrow(cb))) {
    v <- cb$name[k]; codes <- cb$missing[k]
    if (!is.na(codes) && nzchar(codes) && v %in% names(d))
      set(d, which(d[[v]] %in% as.numeric(strsplit(codes, "|", fixed = TRUE)[[1]])), v, NA)
  }
  d
})
say("  R: %d rows read", nrow(d))

say("  R: lm with factor(kommune) (%d levels): this takes minutes at 1,000,000 families ...",
    length(unique(d$kommune)))
fml <- as.formula(paste("collab_1 ~", paste(covs, collapse = " + "), "+ factor(kommune)"))
f <- tm("r_lm", lm(fml, data = d))
say("  R: vcovCL(cluster = ~kommune, type = \"HC1\") ...")
V <- tm("r_vcovcl", vcovCL(f, cluster = ~kommune, type = "HC1"))
r_coef <- coef(f)[covs]; r_se <- sqrt(diag(V))[covs]
rm(f, V); invisible(gc())

tt <- tm("r_welch", t.test(collab_1 ~ post, data = d))

sv <- tm("r_svyby", {
  des <- svydesign(ids = ~1, weights = ~weight, data = d)
  svyby(~collab_1, ~fylke, des, svymean, na.rm = TRUE)
})

# ---- agreement ---------------------------------------------------------------
bad <- FALSE
agree <- function(what, got, want, tol = 1e-8) {
  r <- max(abs(got - want) / pmax(abs(want), 1e-300))
  ok <- is.finite(r) && r <= tol
  if (!ok) bad <<- TRUE
  cat(sprintf("AGREE %s %.3g %s\n", what, r, if (ok) "ok" else "DIFFERS"))
  if (!ok) print(data.frame(reformstat = got, R = want))
}
rg <- read.csv(a[3], colClasses = c(name = "character"))
rg <- rg[match(covs, rg$name), ]
agree("regress_coef", rg$estimate, unname(r_coef))
agree("regress_se_vcovCL", rg$se, unname(r_se))
cp <- read.csv(a[4])
cp <- cp[grepl("Welch", cp$method), ][1, ]
agree("welch_t", cp$statistic, unname(tt$statistic))
agree("welch_df", cp$df, unname(tt$parameter))
agree("welch_difference", cp$estimate, unname(tt$estimate[1] - tt$estimate[2]))
ds <- read.csv(a[5], colClasses = c(group = "character"))
ds <- ds[ds$name == "collab_1", ]
m <- match(as.character(sv$fylke), ds$group)
if (anyNA(m)) { cat("AGREE describe_groups missing DIFFERS\n"); bad <- TRUE } else {
  agree("svyby_mean", ds$weighted_mean[m], sv$collab_1)
  agree("svyby_se", ds$weighted_se[m], sv$se)
}
quit(status = if (bad) 1 else 0)
