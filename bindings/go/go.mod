module libcontid.org/contid

go 1.19
