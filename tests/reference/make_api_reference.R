# Reference numbers from R's survey package for tests/test_not_estimable.py: domains without variance
# information (inside one PSU, a single respondent, a share of exactly 0 or 1) get no interval.
# Run once from this folder:  Rscript make_api_reference.R   (R 4.x, survey 4.1-1 from Debian's r-cran-survey)
# Input: the survey package's api data (data(api)). Output: api_sample.csv (the two samples used, so the
# tests need no R) and api_reference.csv.
suppressMessages(library(survey))
data(api)
keep <- c("cds", "cname", "stype", "dnum", "pw", "sch.wide")
sample <- rbind(cbind(design = "clus1", apiclus1[, keep]), cbind(design = "strat", apistrat[, keep]))
sample$cds <- as.character(sample$cds)
sample <- sample[order(sample$design, sample$cds), ]
write.csv(sample, "api_sample.csv", row.names = FALSE)

d <- read.csv("api_sample.csv", stringsAsFactors = FALSE, colClasses = c(cds = "character"))
d$satisfied <- as.numeric(d$sch.wide == "Yes")  # answer 5 in the tests
d$dissatisfied <- 1 - d$satisfied               # answer 1
d$mean <- ifelse(d$sch.wide == "Yes", 5, 1)
designs <- list(
  clus1 = svydesign(ids = ~dnum, weights = ~pw, data = d[d$design == "clus1", ]),  # one-stage cluster sample
  strat = svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = d[d$design == "strat", ])
)
out <- list()
add <- function(design, measure, domain, estimate, se, ci_low = NA, ci_high = NA, df = NA) {
  out[[length(out) + 1]] <<- data.frame(design = design, measure = measure, domain = domain,
    estimate = as.numeric(estimate), se = as.numeric(se), ci_low = as.numeric(ci_low),
    ci_high = as.numeric(ci_high), df = as.numeric(df))
}
contrasts <- list(clus1 = list(c("Los Angeles", "San Diego"), c("Kern", "Plumas"), c("Alameda", "Fresno")),
                  strat = list(c("Los Angeles", "Fresno"), c("Amador", "Butte"), c("Contra Costa", "Alameda")))
for (name in names(designs)) {
  des <- designs[[name]]
  for (measure in c("satisfied", "dissatisfied", "mean")) {
    f <- as.formula(paste0("~", measure))
    by <- svyby(f, ~cname, des, svymean, covmat = TRUE)
    se <- setNames(SE(by), rownames(by))
    for (county in rownames(by)) {
      sub <- subset(des, cname == county)
      if (measure == "mean") {  # svymean's normal interval, as estimate() gives for means
        m <- svymean(f, sub)
        ci <- confint(m)
      } else {  # xlogit, as estimate() gives for shares: NA where qt(df = 0) or logit(0 or 1) has none
        ci <- suppressWarnings(confint(svyciprop(f, sub, method = "xlogit")))
      }
      add(name, measure, county, coef(by)[county], se[county], ci[1], ci[2], degf(sub))
    }
    for (pair in contrasts[[name]]) {
      weights <- setNames(c(1, -1), pair)
      contrast <- svycontrast(by, weights)
      add(name, measure, paste(pair, collapse = " - "), coef(contrast)[1], SE(contrast)[1])
    }
  }
}
result <- do.call(rbind, out)
write.csv(result, "api_reference.csv", row.names = FALSE)
print(result, digits = 10)
