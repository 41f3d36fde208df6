module github.com/swhost/swhost

go 1.26
