module github.com/wirewatch/wirewatch

go 1.26.8
