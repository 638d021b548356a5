# compare.R — where the expected values in tests/test-compare.c come from.
# Run with R 4.2.2: Rscript tests/data/stats/compare.R  (not needed by make check).
# Every value is printed with 17 significant digits and pasted into the test
# beside the call that made it.
options(digits = 17)
p <- function(label, v) cat(label, ":", paste(format(v, digits = 17), collapse = ", "), "\n")
tt <- function(label, r) {
  p(paste(label, "estimate"), if (length(r$estimate) == 2) r$estimate[1] - r$estimate[2] else r$estimate)
  p(paste(label, "stat/df/p"), c(r$statistic, r$parameter, r$p.value))
  p(paste(label, "ci"), r$conf.int)
  if (!is.null(r$stderr)) p(paste(label, "se"), r$stderr)
}
x1 <- c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3)
y1 <- c(6.8, 7.1, 5.9, 6.5, 7.4, 6.9, 6.1, 7.0, 6.6)
tt("welch x1 y1", t.test(x1, y1))
tt("student x1 y1", t.test(x1, y1, var.equal = TRUE))
x2 <- c(1.5, 2.5); y2 <- c(3.0, 4.5)
tt("welch n=2", t.test(x2, y2))
tt("student n=2", t.test(x2, y2, var.equal = TRUE))
tt("student n=1 vs 2", t.test(c(7), y2, var.equal = TRUE))
pre <- c(12.1, 14.3, 11.8, 15.0, 13.2, 12.9, 14.8, 13.5)
post <- c(13.0, 14.1, 12.9, 16.2, 13.9, 13.4, 15.1, 14.6)
tt("paired", t.test(pre, post, paired = TRUE))
print(try(t.test(c(3, 3, 3), c(3, 3, 3))))
print(try(t.test(c(3), c(1, 2, 3))))
# Wilcoxon
r <- wilcox.test(x1, y1); p("ranksum exact x1 y1 W p", c(r$statistic, r$p.value))
xt <- c(1, 2, 2, 3, 4, 4, 4, 5); yt <- c(3, 4, 5, 5, 6, 6, 7)
r <- suppressWarnings(wilcox.test(xt, yt)); p("ranksum ties W p", c(r$statistic, r$p.value))
xs <- 10 * sin(1:60); ys <- 10 * cos(1:55) + 1
r <- wilcox.test(xs, ys); p("ranksum n>=50 W p", c(r$statistic, r$p.value))
tt("welch sin cos", t.test(xs, ys))
r <- wilcox.test(x2, y2); p("ranksum n=2 W p", c(r$statistic, r$p.value))
p("pwilcox(10,7,9)", pwilcox(10, 7, 9)); p("pwilcox(40,7,9,upper)", pwilcox(40, 7, 9, lower.tail = FALSE))
p("psignrank(12,10)", psignrank(12, 10)); p("psignrank(40,10,upper)", psignrank(40, 10, lower.tail = FALSE))
a9 <- c(1, 2, 3, 4, 5, 6, 7, 8, 9); b9 <- a9 + c(0.5, -1.5, 2.5, 3.5, -0.7, 4.5, 1.2, 5.5, 6.1)
r <- wilcox.test(a9, b9, paired = TRUE); p("signrank exact V p", c(r$statistic, r$p.value))
pre2 <- c(10, 12, 9, 14, 11, 13, 8, 15, 12, 10); post2 <- c(12, 15, 9, 13, 14, 17, 9, 19, 15, 11)
r <- suppressWarnings(wilcox.test(pre2, post2, paired = TRUE)); p("signrank zeros ties V p", c(r$statistic, r$p.value))
# chi-square, Fisher
t22 <- matrix(c(12, 5, 7, 15), 2)
r <- chisq.test(t22); p("chisq 2x2 yates X df p", c(r$statistic, r$parameter, r$p.value))
r <- chisq.test(t22, correct = FALSE); p("chisq 2x2 X df p", c(r$statistic, r$parameter, r$p.value))
p("cramer V 2x2", sqrt(r$statistic / (sum(t22) * 1)))
t33 <- matrix(c(10, 4, 6, 3, 8, 9, 5, 7, 12), 3)
r <- chisq.test(t33); p("chisq 3x3 X df p", c(r$statistic, r$parameter, r$p.value))
p("cramer V 3x3", sqrt(r$statistic / (sum(t33) * 2)))
fi <- function(label, m) {
  r <- fisher.test(m)
  p(paste(label, "p est ci (R)"), c(r$p.value, r$estimate, r$conf.int))
}
fi("fisher t22", t22)
fi("fisher tea", matrix(c(3, 1, 1, 3), 2))
fi("fisher zero", matrix(c(0, 6, 5, 2), 2))
fi("fisher big", matrix(c(40, 22, 31, 57), 2))
r <- fisher.test(t33); p("fisher 3x3 p", r$p.value)
t23 <- matrix(c(3, 1, 0, 2, 4, 5), 2); r <- fisher.test(t23); p("fisher 2x3 p", r$p.value)
# The conditional MLE and CI again, with fisher.test's own code but
# uniroot(tol = 1e-15), since fisher.test's default uniroot tolerance is ~1e-4:
fisher_tight <- function(x) {
  m <- sum(x[, 1L]); n <- sum(x[, 2L]); k <- sum(x[1L, ]); x <- x[1L, 1L]
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) { if (ncp == 0) return(lo); if (ncp == Inf) return(hi); sum(support * dnhyper(ncp)) }
  pnhyper <- function(q, ncp, upper.tail = FALSE) {
    if (ncp == 1) return(if (upper.tail) phyper(x - 1, m, n, k, lower.tail = FALSE) else phyper(x, m, n, k))
    if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
    if (ncp == Inf) return(as.numeric(if (upper.tail) q <= hi else q >= hi))
    sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  }
  u <- function(f, i) uniroot(f, i, tol = 1e-15)$root
  mle <- function(x) {
    if (x == lo) return(0); if (x == hi) return(Inf)
    mu <- mnhyper(1)
    if (mu > x) u(function(t) mnhyper(t) - x, c(0, 1))
    else if (mu < x) 1 / u(function(t) mnhyper(1 / t) - x, c(.Machine$double.eps, 1)) else 1
  }
  alpha <- 0.025
  ncp.U <- function(x, alpha) {
    if (x == hi) return(Inf); p <- pnhyper(x, 1)
    if (p < alpha) u(function(t) pnhyper(x, t) - alpha, c(0, 1))
    else if (p > alpha) 1 / u(function(t) pnhyper(x, 1 / t) - alpha, c(.Machine$double.eps, 1)) else 1
  }
  ncp.L <- function(x, alpha) {
    if (x == lo) return(0); p <- pnhyper(x, 1, upper.tail = TRUE)
    if (p > alpha) u(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, c(0, 1))
    else if (p < alpha) 1 / u(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha, c(.Machine$double.eps, 1)) else 1
  }
  c(mle(x), ncp.L(x, alpha), ncp.U(x, alpha))
}
p("fisher t22 tight est lo hi", fisher_tight(t22))
p("fisher tea tight", fisher_tight(matrix(c(3, 1, 1, 3), 2)))
p("fisher zero tight", fisher_tight(matrix(c(0, 6, 5, 2), 2)))
p("fisher big tight", fisher_tight(matrix(c(40, 22, 31, 57), 2)))
# proportions
for (xn in list(c(7, 20), c(0, 10), c(10, 10), c(15, 40))) {
  r <- prop.test(xn[1], xn[2], correct = FALSE)
  p(sprintf("wilson %d/%d est ci X p", xn[1], xn[2]), c(r$estimate, r$conf.int, r$statistic, r$p.value))
  r <- binom.test(xn[1], xn[2])
  p(sprintf("clopper %d/%d ci p", xn[1], xn[2]), c(r$conf.int, r$p.value))
}
r <- prop.test(c(15, 25), c(40, 38)); p("prop2 yates est ci X p", c(r$estimate[1] - r$estimate[2], r$conf.int, r$statistic, r$p.value))
r <- prop.test(c(15, 25), c(40, 38), correct = FALSE); p("prop2 est ci X p", c(r$estimate[1] - r$estimate[2], r$conf.int, r$statistic, r$p.value))
# odds ratio (Woolf) and risk ratio (log CI) by their formulas, a b c d = 12 7 5 15
a <- 12; b <- 7; c <- 5; d <- 15; z <- qnorm(0.975)
lor <- log(a * d / (b * c)); se <- sqrt(1/a + 1/b + 1/c + 1/d)
p("OR est ci se", c(exp(lor), exp(lor - z * se), exp(lor + z * se), se))
lrr <- log((a / (a + b)) / (c / (c + d))); se <- sqrt(1/a - 1/(a + b) + 1/c - 1/(c + d))
p("RR est ci se", c(exp(lrr), exp(lrr - z * se), exp(lrr + z * se), se))
# Cohen's d (pooled SD) and Hedges' g (exact J), normal-approximation CI
nx <- length(x1); ny <- length(y1)
sp <- sqrt(((nx - 1) * var(x1) + (ny - 1) * var(y1)) / (nx + ny - 2))
dd <- (mean(x1) - mean(y1)) / sp; se <- sqrt((nx + ny) / (nx * ny) + dd^2 / (2 * (nx + ny)))
p("cohen d est ci se", c(dd, dd - z * se, dd + z * se, se))
m <- nx + ny - 2; J <- exp(lgamma(m / 2) - lgamma((m - 1) / 2)) / sqrt(m / 2)
p("hedges g est ci se", c(dd * J, dd * J - z * se * J, dd * J + z * se * J, se * J))
dz <- mean(pre - post) / sd(pre - post); se <- sqrt(1 / 8 + dz^2 / 16)
p("dz est ci se", c(dz, dz - z * se, dz + z * se, se))
# one-way ANOVA, Kruskal–Wallis
ya <- c(4.2, 5.1, 3.9, 6.3, 5.8, 7.1, 6.6, 5.9, 8.2, 7.7, 8.9, 7.4); ga <- factor(rep(1:3, c(3, 5, 4)))
a <- anova(lm(ya ~ ga)); p("anova F df1 df2 p eta2", c(a$"F value"[1], a$Df, a$"Pr(>F)"[1], a$"Sum Sq"[1] / sum(a$"Sum Sq")))
yk <- c(1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7)
r <- kruskal.test(yk, ga); p("kruskal ties H df p", c(r$statistic, r$parameter, r$p.value))
r <- kruskal.test(ya, ga); p("kruskal H df p", c(r$statistic, r$parameter, r$p.value))
# p.adjust, with an NA
pv <- c(0.01, 0.04, NA, 0.03, 0.2, 0.04, 0.5, 0.001)
p("holm", p.adjust(pv, "holm")); p("BH", p.adjust(pv, "BH")); p("bonferroni", p.adjust(pv, "bonferroni"))
