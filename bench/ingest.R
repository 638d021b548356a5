# ingest.R — the R side of bench/ingest.sh.
#
#   Rscript bench/ingest.R FILE comma|semicolon OUT.csv
#
# Reads FILE with data.table::fread (sep "," dec "." or sep ";" dec ","),
# then computes, for every column, what `reformstat describe` computes:
# n (non-missing), missing, mean, sd, min, quantile(c(.25,.5,.75), type = 7),
# max.  The result table is written to OUT.csv with 17 significant digits so
# the work cannot be optimised away and reformstat's output can be checked
# against it.  fread runs with data.table's default thread count
# (getDTthreads(): 50 % of the logical CPUs; override with the environment
# variable R_DATATABLE_NUM_THREADS); the count is printed on stderr.
suppressPackageStartupMessages(library(data.table))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3 || !(args[2] %in% c("comma", "semicolon")))
  stop("usage: Rscript ingest.R FILE comma|semicolon OUT.csv")
file <- args[1]; variant <- args[2]; out <- args[3]

sep <- if (variant == "comma") "," else ";"
dec <- if (variant == "comma") "." else ","

dt <- fread(file, sep = sep, dec = dec, header = TRUE, na.strings = "",
            showProgress = FALSE)

g17 <- function(x) sprintf("%.17g", as.double(x))
lines <- character(ncol(dt) + 1L)
lines[1] <- "variable,n,missing,mean,sd,min,q1,median,q3,max"
nm <- names(dt)
for (j in seq_along(nm)) {
  x <- dt[[j]]
  if (!is.numeric(x)) stop(sprintf("column %s read as %s, not numeric", nm[j], class(x)[1]))
  miss <- sum(is.na(x))
  x <- x[!is.na(x)]
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  lines[j + 1L] <- paste(nm[j], length(x), miss, g17(mean(x)), g17(sd(x)),
                         g17(min(x)), g17(q[1]), g17(q[2]), g17(q[3]), g17(max(x)),
                         sep = ",")
}
writeLines(lines, out)
cat(sprintf("ingest.R: %d rows x %d columns, data.table %s, getDTthreads() = %d\n",
            nrow(dt), ncol(dt), as.character(packageVersion("data.table")),
            getDTthreads()), file = stderr())
